"""Detect actor mentions: knowledge-base names and named entities, then person identities.

Mentions come from the knowledge base (names, demonyms, adjectives, capitals and
seats of government used as metonyms, organisation and group aliases, office
holders) and from spaCy's named entities for people and organisations the knowledge
base lacks. Person identities are then settled once for the whole document, in text
order: "Doe" after "Jane Doe" is the same person, and a person's country is the one
the first titled mention gives ("Kenyan Foreign Minister Jane Doe").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from parley.actors.resolve import person_identities
from parley.knowledge import Knowledge
from parley.knowledge.kb import Entity, KnowledgeBase, NameRef
from parley.knowledge.names import fold
from parley.model import ActorMention, ActorTable

_MAX_NAME_TOKENS = 7
_ENT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
# Prefer a person holding office on the article date, then countries, orgs, groups.
_KIND_ORDER = {"country": 0, "organisation": 1, "group": 2, "person": 3}


def _choose(kb: KnowledgeBase, refs: list[NameRef], published: date | None) -> NameRef:
    def score(r: NameRef) -> tuple[int, int]:
        e = kb.entities.get(r.entity)
        if e is None:
            return (9, 0)
        if e.kind == "person":
            return (0 if e.office_on(published) and any(
                o.held_on(published) for o in e.offices) else 4, 0)
        return (_KIND_ORDER.get(e.kind, 5), 0)

    return min(refs, key=score)


def _match_kb(doc: Any, kb: KnowledgeBase, published: date | None,
              found: dict[int, ActorMention]) -> None:
    names, text = kb.names, doc.text
    first = kb.first_words
    n = len(doc)
    i = 0
    while i < n:
        tok = doc[i]
        if tok.is_space or tok.is_punct or fold(tok.text) not in first:
            i += 1
            continue
        match = None
        for j in range(min(n, i + _MAX_NAME_TOKENS), i, -1):
            last = doc[j - 1]
            if last.is_space or (last.is_punct and j - 1 > i) or "\n" in doc[i:j].text:
                continue
            refs = names.get(fold(text[tok.idx : last.idx + len(last.text)]))
            if refs:
                match = (j, refs)
                break
        if match is None:
            i += 1
            continue
        j, refs = match
        # A KB name written in lower case is an ordinary word ("chad", "turkey", "hamas"
        # excepted when the KB spells it so): require a capital letter for proper names.
        if not any(t.text[:1].isupper() for t in doc[i:j]):
            i += 1
            continue
        ref = _choose(kb, refs, published)
        entity = kb.entities.get(ref.entity)
        found[i] = ActorMention(i, j, ref.entity if entity else None, ref.how,
                                entity.kind if entity else "?")
        i = j


def _fuzzy_country(kb: KnowledgeBase, text: str) -> Entity | None:
    """A misspelt country name or demonym ("Ethopia", "Quatar") in a named entity."""
    key = fold(text)
    if len(key) < 5:
        return None
    from rapidfuzz import fuzz, process

    choices = kb.country_names
    best = process.extractOne(key, choices.keys(), scorer=fuzz.ratio, score_cutoff=88)
    return kb.entities.get(choices[best[0]]) if best else None


def _given_name(tok: Any, taken: set[int], k: Knowledge) -> bool:
    return (tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.text[1:].islower()
            and tok.i not in taken and tok.ent_type_ not in ("GPE", "ORG", "NORP")
            and (tok.lemma_.lower(),) not in k.roles)


def _match_ner(doc: Any, k: Knowledge, found: dict[int, ActorMention],
               taken: set[int]) -> None:
    articles = k.cues.actors.articles
    for ent in doc.ents:
        if ent.label_ not in _ENT_LABELS:
            continue
        if any(t in taken for t in range(ent.start, ent.end)):
            continue
        if ent.label_ in ("GPE", "NORP"):
            entity = _fuzzy_country(k.kb, ent.text)
            if entity is not None:
                found[ent.start] = ActorMention(
                    ent.start, ent.end, entity.id,
                    "name" if ent.label_ == "GPE" else "adjective", "country")
                taken.update(range(ent.start, ent.end))
                continue
        if ent.label_ in ("NORP", "LOC", "FAC"):
            continue
        start, end = ent.start, ent.end
        while start < end and doc[start].lower_ in articles:
            start += 1
        while end > start and doc[end - 1].is_punct:
            end -= 1
        if ent.label_ == "PERSON":
            # the small model often tags only the surname: take given names too
            while start > 0 and _given_name(doc[start - 1], taken, k):
                start -= 1
        if start == end:
            continue
        found[start] = ActorMention(start, end, None, "ner", ent.label_)
        taken.update(range(start, end))


def detect(doc: Any, k: Knowledge, published: date | None) -> ActorTable:
    """The document's actor mentions (text order) and its person identities."""
    found: dict[int, ActorMention] = {}
    _match_kb(doc, k.kb, published, found)
    taken = {t for m in found.values() for t in range(m.start_tok, m.end_tok)}
    _match_ner(doc, k, found, taken)
    mentions = tuple(found[s] for s in sorted(found))
    by_token = {t: n for n, m in enumerate(mentions) for t in range(m.start_tok, m.end_tok)}
    table = ActorTable(mentions=mentions, persons=(), by_token=by_token)
    return ActorTable(mentions=mentions, persons=person_identities(doc, table, k),
                      by_token=by_token)
