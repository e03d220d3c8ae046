"""Trigger detection: lexicon verbs, event nouns, predicate adjectives, multiword
phrases, verb+particle pairs.

Phrases are matched first (the longer, more specific reading wins), allowing modifier
gaps ("called off a four-day strike" matches "call off strike"); then single verbs,
nouns and predicate adjectives ("ready to talk"). Words from the learned lexicon layer
make triggers marked ``learned``. ``dedupe`` drops a nominal trigger that only restates
its verb's event.
"""

from __future__ import annotations

from typing import Any

from parley.extract.factuality import factuality
from parley.knowledge.cues import Cues
from parley.knowledge.lexicon import Entry, Lexicon
from parley.model import Trigger

# Words a phrase may step over when they modify the word that follows: "called off a
# four-day strike" matches "call off strike", "lifted the night curfew" "lift curfew".
_SKIPPABLE = frozenset({"det", "amod", "nummod", "compound", "poss", "punct", "quantmod",
                        "nmod", "advmod", "npadvmod"})
_MAX_SKIP = 4


def depth(tok: Any) -> int:
    # spaCy makes a new Token object on every access: compare positions, not identity
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok, d = tok.head, d + 1
    return d


def trigger_depth(tok: Any, light_verbs: frozenset[str]) -> int:
    """Distance from the clause root; a nominal event carried by a light verb ("staged
    demonstrations", "launched airstrikes") sits where its verb sits."""
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "nsubjpass") and (
        tok.head.lemma_.lower() in light_verbs
    ):
        return depth(tok.head)
    return depth(tok)


def _objects_ok(entry: Entry, tok: Any) -> bool:
    if not entry.objects:
        return True
    for child in tok.children:
        if child.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and (
            child.lemma_.lower() in entry.objects
        ):
            return True
        if child.dep_ in ("prep", "agent"):
            if any(g.dep_ == "pobj" and g.lemma_.lower() in entry.objects for g in child.children):
                return True
        if child.dep_ in ("xcomp", "ccomp") and child.lemma_.lower() in entry.objects:
            return True
    return False


def _match_phrase(tokens: list, lemmas: list[str], k: int, phrase: tuple[str, ...]
                  ) -> list | None:
    """Tokens matching ``phrase`` from position ``k`` (allowing modifier gaps), or None."""
    matched = [tokens[k]]
    pos = k + 1
    for want in phrase[1:]:
        skipped = 0
        while pos < len(tokens) and lemmas[pos] != want:
            tok = tokens[pos]
            if skipped >= _MAX_SKIP or tok.dep_ not in _SKIPPABLE or tok.head.i <= tok.i:
                return None
            skipped += 1
            pos += 1
        if pos >= len(tokens):
            return None
        matched.append(tokens[pos])
        pos += 1
    return matched


def _trigger(entry: Entry, head: Any, start: int, end: int) -> Trigger:
    return Trigger(type=entry.type, mode=entry.mode, weight=entry.weight, head_i=head.i,
                   start_tok=start, end_tok=end, learned=entry.learned)


def find_triggers(sent: Any, lex: Lexicon) -> list[Trigger]:
    found: list[Trigger] = []
    used: set[int] = set()
    tokens = list(sent)
    lemmas = [t.lemma_.lower() for t in tokens]
    # phrases first: the longer, more specific reading wins
    for k in range(len(tokens)):
        for entry in lex.phrases.get(lemmas[k], ()):
            span = _match_phrase(tokens, lemmas, k, entry.lemmas)
            if span is None:
                continue
            if any(t.i in used for t in span) or any(f.head_i in {t.i for t in span}
                                                      for f in found):
                continue
            head = min(span, key=depth)
            if not _objects_ok(entry, head) and entry.objects:
                continue
            found.append(_trigger(entry, head, span[0].i, span[-1].i + 1))
            # "threatened to attack", "refused to withdraw": the complement verb is an
            # event of its own (hypothetical, negated), so it stays free to trigger
            used.update(t.i for t in span if t is head or t.pos_ != "VERB")
            break
    for k, tok in enumerate(tokens):
        if tok.i in used or tok.is_space:
            continue
        lemma = lemmas[k]
        if lemma in lex.exclude:
            continue
        entries: list[Entry] = []
        if tok.pos_ == "VERB":
            entries = lex.verbs.get(lemma, [])
        elif tok.pos_ in ("NOUN", "PROPN") and tok.ent_type_ not in ("PERSON", "GPE", "ORG"):
            entries = lex.nouns.get(lemma, [])
        elif tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "ROOT", "conj", "ccomp"):
            entries = lex.adjectives.get(lemma, [])  # "ready to talk", "is unacceptable"
        best = None
        for entry in entries:
            if entry.particle:
                part = next((c for c in tok.children if c.dep_ in ("prt", "prep")
                             and c.lower_ == entry.particle), None)
                if part is None:
                    continue
                best = (entry, part)
                break
            if not _objects_ok(entry, tok):
                continue
            if best is None or entry.weight > best[0].weight:
                best = (entry, None)
        if best is None:
            continue
        entry, part = best
        end = tok.i + 1
        if part is not None and part.i == tok.i + 1:
            end = part.i + 1
        found.append(_trigger(entry, tok, tok.i, end))
        used.add(tok.i)
    return found


def dedupe(doc: Any, triggers: list[Trigger], cues: Cues) -> list[Trigger]:
    """A nominal trigger that is the object of a verb trigger is either the same event
    ("signed an agreement", "launched an attack") or what that event acts upon ("lifted
    the curfew", "rejected talks"). The same type: one event. Another type: the noun
    event stands only if the verb makes it non-factual ("rejected talks": negated
    talks); "lifted the curfew" is a concession, not a second, asserted curfew."""
    by_head = {t.head_i: t for t in triggers}
    keep = []
    for t in triggers:
        tok = doc[t.head_i]
        head = tok.head
        if tok.pos_ in ("NOUN", "PROPN") and head.i != tok.i and tok.dep_ in (
            "dobj", "nsubjpass", "pobj", "attr"
        ):
            verb = head.head if tok.dep_ == "pobj" else head
            other = by_head.get(verb.i)
            if other is not None and other is not t and (
                other.type == t.type
                or factuality(tok, cues.factuality, event_type=t.type) == "asserted"
            ):
                continue
        keep.append(t)
    return keep
