"""Factuality: is the event said to have happened, not happened, maybe, later, or alleged?

Read from the trigger's own dependents (negation, modal auxiliaries, "possible") and
then from the predicates that govern it ("denied carrying out the raid", "threatened
to cut supplies", "is expected to travel", "accused Y of attacking"). The nearest
marker wins. A threat itself is asserted; what is threatened is hypothetical. The cue
words are data (``factuality`` in ``parley/data/lexicon/cues.yaml``).
"""

from __future__ import annotations

from typing import Any

from parley.knowledge.cues import FactualityCues

_CLIMB = frozenset({"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "advcl", "conj",
                    "nsubjpass", "attr", "oprd", "relcl", "appos", "compound", "nsubj", "csubj",
                    "amod", "npadvmod"})


def _own_markers(tok: Any, cues: FactualityCues, *, is_threat: bool) -> str | None:
    # negation first: "would not withdraw" is negated, not merely hypothetical
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in tok.children):
        return "negated"
    for child in tok.children:
        lower = child.lower_
        if child.dep_ in ("aux", "auxpass") and lower in cues.hypothetical_modals:
            return "hypothetical"
        if child.dep_ in ("aux", "auxpass") and lower in cues.planned_modals:
            return "planned"
        if child.dep_ == "advmod" and lower in cues.reported_adverbs:
            return "reported"
        if child.dep_ in ("amod", "compound") and lower in cues.hypothetical_modifiers:
            return "hypothetical"
        if child.dep_ in ("amod", "compound") and lower in cues.planned_modifiers:
            return "planned"
        if child.dep_ == "mark" and lower in cues.conditional_marks and not is_threat:
            return "hypothetical"
        if child.dep_ == "advcl" and not is_threat and any(
            g.dep_ == "mark" and g.lower_ in cues.conditional_marks for g in child.children
        ):
            return "hypothetical"
    # "is expected to", "is set to", "is due to", "is going to", "is scheduled to"
    if tok.dep_ == "xcomp" and tok.head.lemma_ in cues.planned_frames:
        if any(c.dep_ == "auxpass" or c.lemma_ == "be" for c in tok.head.children) or (
            tok.head.lemma_ in cues.planned_frames_bare
        ):
            return "planned"
    return None


def factuality(tok: Any, cues: FactualityCues, *, event_type: str) -> str:
    """The factuality of the event whose trigger head is ``tok``."""
    is_threat = event_type == "THREATEN"
    own = _own_markers(tok, cues, is_threat=is_threat)
    if own:
        return own
    node = tok
    steps = 0
    while node.dep_ in _CLIMB and node.head.i != node.i and steps < 8:
        child, node = node, node.head
        steps += 1
        lemma = node.lemma_.lower()
        # Governors ("denied carrying out", "threatened to attack") precede what they
        # govern; a clause before its head is usually a mis-attached separate statement.
        if (node.pos_ in ("VERB", "AUX", "ADJ") or node.tag_.startswith("VB")) and (
            child.i > node.i or child.dep_ not in ("ccomp", "advcl")
        ):
            particle = cues.negating_particles.get(lemma)
            has_particle = particle is not None and any(
                c.dep_ in ("prt", "prep") and c.lower_ == particle for c in node.children)
            # "the talks failed": they took place
            if lemma in cues.negating_verbs and (particle is None or has_particle) and (
                    child.dep_ not in ("nsubj", "nsubjpass", "csubj")):
                return "negated"
            if lemma in cues.reported_governors:
                return "reported"
            if lemma in cues.hypothetical_governors and child.dep_ in (
                    "xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "advcl"):
                return "hypothetical"
            if lemma in cues.planned_governors and child.dep_ in (
                    "xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp"):
                return "planned"
            mark = _own_markers(node, cues, is_threat=is_threat)
            if mark:
                return mark
        elif node.pos_ in ("NOUN", "PROPN"):
            if lemma in cues.hypothetical_nouns and child.dep_ in (
                    "prep", "pobj", "acl", "compound"):
                return "planned" if lemma in cues.planned_nouns else "hypothetical"
            if lemma in cues.report_nouns and child.dep_ in (
                "prep", "pobj", "acl"
            ):
                return "reported"
    return "asserted"
