"""Factuality: is the event said to have happened, not happened, maybe, later, or alleged?

Read from the trigger's own dependents (negation, modal auxiliaries, "possible") and
then from the predicates that govern it ("denied carrying out the raid", "threatened
to cut supplies", "is expected to travel", "accused Y of attacking"). The nearest
marker wins. A threat itself is asserted; what is threatened is hypothetical.
"""

from __future__ import annotations

NEGATING = frozenset({
    "deny", "refuse", "reject", "fail", "decline", "cancel", "avoid", "rule", "dismiss",
    "abandon", "halt", "scrap", "call", "stop", "prevent", "block", "thwart", "veto",
    "boycott", "skip", "postpone", "suspend",
})
# "call" negates only with "off" ("called off the talks"); "rule" only with "out".
_NEG_PARTICLE = {"call": "off", "rule": "out"}
HYPOTHETICAL = frozenset({
    "threaten", "warn", "consider", "propose", "demand", "urge", "ask", "request", "seek",
    "want", "hope", "offer", "suggest", "press", "fear", "risk", "weigh", "mull", "could",
    "might", "may", "would", "should", "push", "appeal", "call", "try", "attempt",
    "contemplate", "wish", "invite", "vow_conditional", "allow", "authorize", "authorise",
    "approve", "order", "prepare", "ready", "willing", "prepared", "able", "eager", "keen",
    "determined", "likely",
})
PLANNED = frozenset({
    "plan", "intend", "expect", "schedule", "set", "aim", "agree", "decide", "vow", "pledge",
    "promise", "announce", "due", "will", "shall", "commit", "resolve", "arrange",
})
REPORTED = frozenset({
    "accuse", "allege", "claim", "blame", "charge", "suspect", "report", "rumor", "rumour",
})
_REPORT_ADVERBS = frozenset({"reportedly", "allegedly", "purportedly", "apparently"})
_HYPO_AMODS = frozenset({"possible", "potential", "proposed", "hypothetical", "likely",
                         "probable", "threatened", "feared", "would-be", "prospective"})
_PLAN_AMODS = frozenset({"planned", "upcoming", "expected", "scheduled", "future", "forthcoming",
                         "next"})
_HYPO_NOUNS = frozenset({"threat", "risk", "fear", "prospect", "possibility", "danger",
                         "warning", "call", "demand", "plan", "proposal", "offer", "bid",
                         "attempt", "readiness", "intention", "option", "pledge", "promise",
                         "commitment", "agreement", "deal", "decision"})
_PLAN_NOUNS = frozenset({"plan", "preparation", "schedule", "pledge", "promise", "commitment",
                         "agreement", "deal", "decision", "intention"})
_HYPO_MODALS = frozenset({"may", "might", "could", "would", "should", "must", "can"})
_PLAN_MODALS = frozenset({"will", "shall", "'ll", "wo"})
_CLIMB = frozenset({"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "advcl", "conj",
                    "nsubjpass", "attr", "oprd", "relcl", "appos", "compound", "nsubj", "csubj",
                    "amod", "npadvmod"})


def _own_markers(tok, *, is_threat: bool) -> str | None:
    # negation first: "would not withdraw" is negated, not merely hypothetical
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in tok.children):
        return "negated"
    for child in tok.children:
        lower = child.lower_
        if child.dep_ in ("aux", "auxpass") and lower in _HYPO_MODALS:
            return "hypothetical"
        if child.dep_ in ("aux", "auxpass") and lower in _PLAN_MODALS:
            return "planned"
        if child.dep_ == "advmod" and lower in _REPORT_ADVERBS:
            return "reported"
        if child.dep_ in ("amod", "compound") and lower in _HYPO_AMODS:
            return "hypothetical"
        if child.dep_ in ("amod", "compound") and lower in _PLAN_AMODS:
            return "planned"
        if child.dep_ == "mark" and lower in ("if", "unless") and not is_threat:
            return "hypothetical"
        if child.dep_ == "advcl" and not is_threat and any(
            g.dep_ == "mark" and g.lower_ in ("if", "unless") for g in child.children
        ):
            return "hypothetical"
    # "is expected to", "is set to", "is due to", "is going to", "is scheduled to"
    if tok.dep_ == "xcomp" and tok.head.lemma_ in ("expect", "set", "schedule", "due", "go",
                                                   "slate", "poise"):
        if any(c.dep_ == "auxpass" or c.lemma_ == "be" for c in tok.head.children) or (
            tok.head.lemma_ in ("due", "go")
        ):
            return "planned"
    return None


def factuality(tok, *, event_type: str) -> str:
    """The factuality of the event whose trigger head is ``tok``."""
    is_threat = event_type == "THREATEN"
    own = _own_markers(tok, is_threat=is_threat)
    if own:
        return own
    node = tok
    steps = 0
    while node.dep_ in _CLIMB and node.head is not node and steps < 8:
        child, node = node, node.head
        steps += 1
        lemma = node.lemma_.lower()
        # Governors ("denied carrying out", "threatened to attack") precede what they
        # govern; a clause before its head is usually a mis-attached separate statement.
        if (node.pos_ in ("VERB", "AUX", "ADJ") or node.tag_.startswith("VB")) and (
            child.i > node.i or child.dep_ not in ("ccomp", "advcl")
        ):
            particle = _NEG_PARTICLE.get(lemma)
            has_particle = particle is not None and any(
                c.dep_ in ("prt", "prep") and c.lower_ == particle for c in node.children)
            if lemma in NEGATING and (particle is None or has_particle) and child.dep_ not in (
                "nsubj", "nsubjpass", "csubj"):  # "the talks failed": they took place
                return "negated"
            if lemma in REPORTED:
                return "reported"
            if lemma in HYPOTHETICAL and child.dep_ in ("xcomp", "ccomp", "dobj", "pobj",
                                                        "prep", "pcomp", "advcl"):
                return "hypothetical"
            if lemma in PLANNED and child.dep_ in ("xcomp", "ccomp", "dobj", "pobj", "prep",
                                                   "pcomp"):
                return "planned"
            mark = _own_markers(node, is_threat=is_threat)
            if mark:
                return mark
        elif node.pos_ in ("NOUN", "PROPN"):
            if lemma in _HYPO_NOUNS and child.dep_ in ("prep", "pobj", "acl", "compound"):
                return "planned" if lemma in _PLAN_NOUNS else "hypothetical"
            if lemma in ("accusation", "allegation", "claim", "report") and child.dep_ in (
                "prep", "pobj", "acl"
            ):
                return "reported"
    return "asserted"
