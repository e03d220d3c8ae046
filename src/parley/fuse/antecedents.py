"""Retold events: the recipient of a reaction whose object is an event told before.

"President Vladimir Putin condemned the strikes", "Ukraine's foreign ministry rejected
the accusations", "The mission condemned the attack": the reaction names no actor as
its object, only an event the article reported earlier ("US warplanes struck ...",
"Mali accused Ukraine of ...", "CPC fighters attacked a patrol ..."). An analyst reads
the retold event's actor as the recipient: Putin condemns the United States. This step
finds such objects (a definite noun of ``retold_events`` in ``cues.yaml`` section
``arguments``, the direct object of a reaction of ``reaction_types``), the event they
retell (the nearest candidate before it, in the same or one of the
``retold_max_sentences`` sentences before, of a type the noun names, with an actor), and
gives the reaction that event's actors as recipients, each with its own evidence span
(the name in the earlier sentence). A reaction that already has a recipient, or whose
object names its own actor ("condemned Russia's attack"), is left as the linker made it.

It runs in in-document fusion (``fuse/document.py``) after the mentions are grouped into
events: after scoring, so the models' features are those they were trained on, and
after grouping, so a shared retold event does not make two reactions one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from parley.model import ActorRef, Candidate, Work
from parley.parse.nlp import sentence_number

# a retold event is only taken from candidates the scorer finds at least this likely
MIN_ANTECEDENT_SCORE = 0.2


def _retelling_object(doc: Any, cand: Candidate, cues: Any) -> Any:
    """The definite event noun the reaction takes as its object, or None."""
    tok = doc[cand.head_i]
    for child in tok.children:
        if child.dep_ != "dobj" or child.pos_ != "NOUN":
            continue
        if child.lemma_.lower() not in cues.retold_events:
            continue
        if not any(c.dep_ == "det" and c.lower_ in cues.definite_determiners
                   for c in child.children):
            continue
        if any(c.dep_ in ("poss", "compound", "amod") and c.pos_ == "PROPN"
               for c in child.children):
            continue  # "Russia's attack": the linker reads its actor
        return child
    return None


def _same(a: ActorRef, b: ActorRef) -> bool:
    return a.key == b.key or (a.kb_id is not None and a.kb_id == b.kb_id) or (
        a.country is not None and a.country == b.country)


def antecedent(cands: tuple[Candidate, ...], cand: Candidate, noun: Any,
               cues: Any) -> Candidate | None:
    """The candidate the object noun retells: of a type the noun names, with actors,
    before the noun and at most ``retold_max_sentences`` sentences back; one told with
    the noun's own word first, then the nearest."""
    doc = noun.doc
    types = set(cues.retold_events[noun.lemma_.lower()])
    sents, here = sentence_number(doc[cand.head_i])
    earliest = sents[max(0, here - int(cues.retold_max_sentences))].start_char
    best: tuple[tuple[bool, int], Candidate] | None = None
    for c in cands:
        if c is cand or c.type not in types or not c.actors or c.background:
            continue
        if c.factuality != "asserted" or (c.score is not None
                                          and c.score < MIN_ANTECEDENT_SCORE):
            continue
        if not earliest <= c.trigger_start < noun.idx:
            continue
        rank = (_kin(doc[c.head_i], noun), c.trigger_start)
        if best is None or rank > best[0]:
            best = (rank, c)
    return best[1] if best else None


def _kin(trigger: Any, noun: Any) -> bool:
    """Is the noun the trigger's word again ("struck" ... "the strikes", "accused" ...
    "the accusation")? Such an event is preferred to a nearer one of another word."""
    a, b = trigger.lemma_.lower(), noun.lemma_.lower()
    return a[:5] == b[:5] if min(len(a), len(b)) >= 5 else a == b


def retold_recipients(work: Work) -> dict[int, Candidate]:
    """For each candidate (by ``id``) that gains recipients this way, the candidate with
    them. In-document fusion asks after grouping the mentions, so that two reactions
    to one event by different actors ("HRW condemned the killings"; "the bishops also
    condemned the killings") do not become one event through the recipient they share."""
    cands = work.candidates or ()
    if not cands or work.doc is None:
        return {}
    cues = work.knowledge.cues.arguments
    doc = work.doc
    out: dict[int, Candidate] = {}
    for c in cands:
        if c.recipients or c.type not in cues.reaction_types:
            continue
        noun = _retelling_object(doc, c, cues)
        source = antecedent(cands, c, noun, cues) if noun is not None else None
        new = tuple(r for r in (source.actors if source else ())
                    if not any(_same(r, a) for a in c.actors))
        if new:
            out[id(c)] = replace(c, recipients=new)
    return out


__all__ = ["antecedent", "retold_recipients"]
