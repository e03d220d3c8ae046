"""Stated intentions and demands, coded the way PLOVER codes them.

An intent to cooperate is AGREE, an intent to act against someone is THREATEN, a
refusal to cooperate is REJECT, and "Y must/should do X" said by Z is a REQUEST from Z
to Y (``obligation_request``: the one rule behind both derived requests and demands
with no trigger of their own).
"""

from __future__ import annotations

from typing import Any

from parley.actors.resolve import Resolver
from parley.extract.arguments import resolve_all, subjects
from parley.extract.triggers import depth
from parley.knowledge import Knowledge
from parley.model import ActorRef, Candidate


def intent_marker(tok: Any, k: Knowledge) -> tuple[Any, bool] | None:
    """The word by which the subject states an intention to act: "will", "ready to",
    "offered to", "plans to". Returns (marker token, negated) or None."""
    cues = k.cues.intents
    neg = any(c.dep_ == "neg" for c in tok.children)
    for c in tok.children:
        if c.dep_ == "aux" and c.lower_ in cues.future_auxiliaries:
            return c, neg
    node = tok
    for _ in range(2):
        if node.dep_ != "xcomp" or node.head.i == node.i:
            break
        head = node.head
        hneg = neg or any(c.dep_ == "neg" for c in head.children)
        if head.lemma_.lower() in cues.intent_verbs or head.lower_ in cues.intent_adjectives:
            return head, hneg
        if head.lemma_.lower() in cues.refusal_verbs:
            return head, True
        node = head
    return None


def obligation(tok: Any, k: Knowledge) -> Any | None:
    """The "must"/"should" of a clause reported by a speech verb ("X said Y must ...")."""
    cues = k.cues.intents
    if tok.dep_ != "ccomp":
        return None
    return next((c for c in tok.children if c.dep_ == "aux"
                 and c.lower_ in cues.obligation_modals), None)


def speaker(tok: Any, k: Knowledge) -> list:
    """Subject of the speech verb that reports the clause of ``tok`` ("X said Y must ...")."""
    node = tok
    for _ in range(3):
        if node.head.i == node.i:
            return []
        if node.dep_ in ("ccomp", "conj", "xcomp") and (
                node.head.lemma_.lower() in k.cues.intents.speech_verbs):
            return subjects(node.head, k.cues.arguments)
        node = node.head
    return []


def _span(marker: Any, tok: Any) -> tuple[int, int]:
    if 0 < tok.i - marker.i <= 4:
        return marker.idx, tok.idx + len(tok.text)
    return marker.idx, marker.idx + len(marker.text)


def derived(m: Candidate, doc: Any, resolver: Resolver, k: Knowledge) -> Candidate | None:
    """The PLOVER event a non-factual candidate implies: a stated intention (AGREE,
    THREATEN, REJECT) or a demand (REQUEST)."""
    if m.factuality not in ("planned", "hypothetical", "negated"):
        return None
    tok = doc[m.head_i]
    if m.nominal and tok.dep_ in ("dobj", "nsubjpass", "attr") and tok.head.pos_ == "VERB":
        tok = tok.head  # "will extend the curfew": the verb carries the intent
    must = obligation(tok, k)
    actors: tuple[ActorRef, ...]
    recipients: tuple[ActorRef, ...]
    if must is not None:
        said_by = resolve_all(resolver, speaker(tok, k))
        if not said_by:
            return None
        marker, etype = must, "REQUEST"
        actors, recipients = tuple(said_by), m.actors + m.recipients
    else:
        found = intent_marker(tok, k)
        if found is None:
            return None
        marker, negated = found
        unless = any(c.dep_ == "advcl" and any(g.lower_ in k.cues.intents.condition_marks
                                               for g in c.children)
                     for c in tok.children)
        intent = k.plover.types[m.type].intent
        if unless and not negated:
            etype = "THREATEN"  # "will withdraw its force unless ...": a conditional threat
        elif intent == "AGREE":
            etype = "REJECT" if negated else "AGREE"
        elif intent == "THREATEN" and not negated:
            etype = "THREATEN"
        else:
            return None
        actors, recipients = m.actors, m.recipients
    start, end = _span(marker, tok)
    return Candidate(
        type=etype, mode=None, factuality="asserted", weight=m.weight * 0.95,
        trigger_start=start, trigger_end=end, sent_start=m.sent_start, sent_end=m.sent_end,
        head_i=marker.i, depth=max(0, m.depth - 1), nominal=False, definite=False,
        actors=actors, recipients=tuple(r for r in recipients
                                        if all(r.key != a.key for a in actors)),
        origin="intent",
    )


def demands(sent: Any, resolver: Resolver, k: Knowledge, covered: set[int],
            bounds: tuple[int, int]) -> list[Candidate]:
    """"Russia said Sudan must return the helicopter": a REQUEST from the speaker to the
    subject of the obligation clause, even when the demanded act has no trigger."""
    out = []
    for tok in sent:
        if tok.i in covered or tok.pos_ not in ("VERB", "AUX"):
            continue
        must = obligation(tok, k)
        if must is None or tok.head.lemma_.lower() not in k.cues.intents.speech_verbs:
            continue
        said_by = resolve_all(resolver, subjects(tok.head, k.cues.arguments))
        target = resolve_all(resolver, [c for c in tok.children
                                        if c.dep_ in ("nsubj", "nsubjpass")])
        if not said_by or not target:
            continue
        start, end = _span(must, tok)
        out.append(Candidate(
            type="REQUEST", mode=None, factuality="asserted", weight=0.9,
            trigger_start=start, trigger_end=end, sent_start=bounds[0], sent_end=bounds[1],
            head_i=must.i, depth=depth(tok.head), nominal=False, definite=False,
            actors=tuple(said_by),
            recipients=tuple(r for r in target if all(r.key != a.key for a in said_by)),
            origin="demand",
        ))
    return out


__all__ = ["demands", "derived", "intent_marker", "obligation", "speaker"]
