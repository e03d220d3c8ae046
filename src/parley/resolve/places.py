"""Places: where an event happened, from its sentence ("in Moscow", "talks in
Beijing"), else the dateline, else (no dateline) the place the lead sentence names, for
events done on the ground only (``lead_place_types`` in ``cues.yaml``).
Typo tolerance applies only after "in"/"at"/"near" and in datelines, where the context
already says the word is a place.
"""

from __future__ import annotations

from typing import Any

from parley.knowledge import Knowledge
from parley.knowledge.gazetteer import GazEntry, Gazetteer
from parley.knowledge.kb import KnowledgeBase
from parley.model import Dateline, Place, Span
from parley.parse.nlp import entity_of, sentence_of

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def _place(entry: GazEntry, span: tuple[int, int] | None) -> Place:
    evidence = [Span(start=span[0], end=span[1])] if span else []
    if entry.is_country:
        return Place(name=entry.name, country=entry.country, evidence=evidence)
    return Place(name=entry.name, country=entry.country, lat=entry.lat, lon=entry.lon,
                 evidence=evidence)


def place_for(doc: Any, head_i: int, k: Knowledge, dateline: Dateline | None,
              event_type: str | None = None) -> Place | None:
    tok = doc[head_i]
    sent = sentence_of(tok)
    gaz, kb = k.gazetteer, k.kb
    preps = k.cues.places.place_prepositions
    best: tuple[int, Place] | None = None
    for prep in sent:
        if prep.dep_ != "prep" or prep.lower_ not in preps:
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            place = _resolve_place(doc, pobj, kb, gaz) or _named_by(doc, pobj, k)
            if place is None:
                continue
            # closeness: attached to the trigger, to its clause, or elsewhere in the sentence
            rank = 0 if prep.head.i == tok.i else 1 if prep.head.i == tok.head.i else 2
            if best is None or rank < best[0]:
                best = (rank, place)
    if best is not None:
        return best[1]
    if dateline is not None:
        entry = gaz.lookup(dateline.place)
        span = (dateline.start, dateline.end)
        if entry is not None:
            return _place(entry, span)
        return Place(name=dateline.place, evidence=[Span(start=span[0], end=span[1])])
    if event_type is not None and event_type not in k.cues.places.lead_place_types:
        return None  # a statement or meeting is not placed where the story's lead is
    return lead_place(doc, k)


def lead_place(doc: Any, k: Knowledge) -> Place | None:
    """Without a dateline, the place the lead sentence names ("... fought near the town
    of Damasak on Monday"): where the story is."""
    cached = doc.user_data.get("parley_lead_place", False)
    if cached is not False:
        return cached
    place = None
    preps = k.cues.places.place_prepositions
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        for prep in sent:
            if prep.dep_ == "prep" and prep.lower_ in preps:
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        place = (_resolve_place(doc, pobj, k.kb, k.gazetteer)
                                 or _named_by(doc, pobj, k))
                        if place is not None:
                            break
            if place is not None:
                break
        break
    doc.user_data["parley_lead_place"] = place
    return place


def _named_by(doc: Any, noun: Any, k: Knowledge) -> Place | None:
    """A place named through a common noun: "Zamfara state", "the town of Kabkabiya",
    "the C.A.R.'s capital, Bangui", "the Turkish capital" (that country's capital)."""
    cues = k.cues.places
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in cues.place_nouns:
        return None
    kb, gaz = k.kb, k.gazetteer
    children = list(noun.children)
    if noun.lemma_.lower() in cues.region_nouns:
        # "Zamfara state", "the Kidal region": the region of that name, if there is one
        for c in children:
            if c.dep_ == "compound" and c.text[:1].isupper() and not _calendar_word(c.text):
                name = doc[c.left_edge.i : c.i + 1]
                region = gaz.region(name.text) or gaz.region(c.text)
                if region is not None and not kb.refs(c.text):
                    return _place(region, (name.start_char, c.idx + len(c.text)))
    # its name: in apposition, a compound, or "of <name>"
    for c in children:
        if c.dep_ in ("appos", "compound") and c.pos_ == "PROPN":
            place = _resolve_place(doc, c, kb, gaz)
            if place is not None:
                return place
        if c.dep_ == "compound" and c.text[:1].isupper() and not _calendar_word(c.text):
            # "the Kidal region": the tagger may read the name as an adjective
            entry = gaz.lookup(c.text)
            if entry is not None and not kb.refs(c.text):
                return _place(entry, (c.idx, c.idx + len(c.text)))
    for c in children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj" and g.pos_ == "PROPN":
                    place = _resolve_place(doc, g, kb, gaz)
                    if place is not None:
                        return place
    if noun.lemma_.lower() not in cues.capital_nouns:
        return None
    for c in children:
        if c.dep_ not in ("poss", "amod", "compound"):
            continue
        words = [t for t in c.subtree if t.dep_ != "case"]
        text = " ".join(t.text for t in words)
        for ref in kb.refs(text):
            entity = kb.entities.get(ref.entity)
            capital = getattr(entity, "capital", None) if entity is not None else None
            if entity is None or entity.kind != "country" or not capital:
                continue
            entry = gaz.lookup(capital)
            span = (words[0].idx, noun.idx + len(noun.text))
            if entry is not None and entry.country == entity.country:
                return _place(entry, span)
            return Place(name=capital, country=entity.country,
                         evidence=[Span(start=span[0], end=span[1])])
    return None


def _calendar_word(text: str) -> bool:
    import calendar

    word = text.lower().rstrip(".")
    return word in {m.lower() for m in (*calendar.month_name, *calendar.month_abbr) if m} or (
        word in {d.lower() for d in (*calendar.day_name, *calendar.day_abbr)})


def _resolve_place(doc: Any, pobj: Any, kb: KnowledgeBase, gaz: Gazetteer) -> Place | None:
    ent = entity_of(pobj)
    if ent is not None and ent.label_ in _PLACE_LABELS:
        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        span = (ent.end_char - len(text), ent.end_char)
    elif pobj.pos_ == "PROPN" and pobj.text[:1].isupper():
        toks = [t for t in pobj.subtree if t.dep_ == "compound" or t is pobj]
        text = " ".join(t.text for t in toks)
        span = (toks[0].idx, pobj.idx + len(pobj.text))
    else:
        return None
    if _calendar_word(text):
        return None  # "in March", "on Tuesday": a date, never the town of March
    refs = kb.refs(text)
    for ref in refs:
        entity = kb.entities.get(ref.entity)
        if entity is not None and entity.kind == "country" and ref.how == "name":
            return Place(name=entity.name, country=entity.country,
                         evidence=[Span(start=span[0], end=span[1])])
    if any((e := kb.entities.get(r.entity)) is not None and e.kind != "country"
           for r in refs):
        return None  # "the White House", "the Kremlin": an actor, not a place elsewhere
    hit = gaz.fuzzy(text, min_score=88.0)
    if hit is None:
        return None
    return _place(hit[0], span)
