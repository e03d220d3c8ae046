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
# Among entities sharing a name: a person holding office on the article date first, one
# tied to the countries the article names next; then countries, orgs, groups, people.
_KIND_ORDER = {"country": 0, "organisation": 1, "group": 2, "person": 3}


def _countries_of(e: Entity) -> set[str]:
    out = {e.country} if e.country else set()
    out.update(o.country for o in e.offices if o.country)
    out.update(o.about for o in e.offices if o.about)
    return out


def _choose(kb: KnowledgeBase, refs: list[NameRef], published: date | None,
            context: dict[str, int] | None = None) -> NameRef:
    """The entity a name most likely means in this article: ``context`` counts the
    countries its unambiguous names point to ("Bennett" in an article about Afghanistan
    is the UN rapporteur; "Congress" in an Indian story is India's)."""
    context = context or {}

    def score(r: NameRef) -> tuple[int, int, int]:
        e = kb.entities.get(r.entity)
        if e is None:
            return (9, 0, 0)
        near = -max((context.get(c, 0) for c in _countries_of(e)), default=0)
        if e.kind == "person":
            in_office = any(o.held_on(published) for o in e.offices)
            return (0 if in_office else 4, near, 0)
        return (0, near, _KIND_ORDER.get(e.kind, 5))

    return min(refs, key=score)


def _same_person(e: Entity | None, full: str) -> bool:
    if e is None or e.kind != "person":
        return e is not None
    words = fold(full).split()
    names = [fold(n).split() for n in e.aliases]
    if any(n == words for n in names):
        return True
    last = fold(e.name).split()
    if not words or words[-1] != last[-1]:
        return False
    # the first name agrees: an initial ("S. Khan"), the same name or a prefix of it, or a
    # close spelling ("Sergey" / "Sergei"); a shared initial alone is not enough
    # ("Shafqat Ali Khan" is not Sadiq Khan)
    first = words[0].rstrip(".")
    givens = {n[0] for n in names if len(n) > 1} | {last[0]}
    if len(first) == 1:
        return any(g[:1] == first for g in givens)
    from difflib import SequenceMatcher

    return any(g == first or g.startswith(first) or first.startswith(g)
               or SequenceMatcher(None, g, first).ratio() >= 0.8 for g in givens)


def person_variant(kb: KnowledgeBase, text: str, published: date | None,
                   context: dict[str, int], particles: frozenset[str] = frozenset(),
                   in_office_only: bool = False) -> Entity | None:
    """The office holder a name the KB does not list spells differently ("Raeisi",
    "Tokaev", "Hasan Nasrallah"): a close spelling of a full name, or of the surname of
    a person in office on the article's date; the article's countries break ties, and
    an unresolved tie is no match."""
    from rapidfuzz import fuzz, process

    key = fold(text)
    words = key.split()
    if len(words) > 1 and all(w in particles for w in words[:-1]):
        key = words[-1]  # "el-Sissi": the surname
    if len(key) < 4:
        return None
    keys, ids, surnames = kb.person_names
    found: dict[str, float] = {}
    if " " in key:
        for _, score, n in process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=88,
                                           limit=5):
            found[ids[n]] = max(found.get(ids[n], 0.0), score)
    else:
        for last, score, _ in process.extract(key, list(surnames), scorer=fuzz.ratio,
                                              score_cutoff=88 if len(key) > 5 else 100,
                                              limit=5):
            for pid in surnames[last]:
                found[pid] = max(found.get(pid, 0.0), score)
    cands = []
    for pid, score in found.items():
        e = kb.entities.get(pid)
        if e is None:
            continue
        in_office = published is None or any(o.held_on(published) for o in e.offices)
        if (" " not in key or in_office_only) and not in_office:
            continue  # a bare surname only for someone in office then
        near = max((context.get(c, 0) for c in _countries_of(e)), default=0)
        cands.append(((int(in_office), near, score), e))
    if not cands:
        return None
    cands.sort(key=lambda x: x[0], reverse=True)
    if len(cands) > 1 and cands[0][0] == cands[1][0] and cands[0][1].id != cands[1][1].id:
        return None
    return cands[0][1]


def _foreign(e: Entity | None, context: dict[str, int]) -> bool:
    """An organisation or group of a country the article does not name."""
    return e is not None and e.kind in ("organisation", "group") and bool(e.country) and (
        e.country not in context)


def _match_kb(doc: Any, kb: KnowledgeBase, published: date | None,
              found: dict[int, ActorMention], generic: frozenset[str] = frozenset(),
              honorifics: frozenset[str] = frozenset(), gazetteer: Any = None,
              particles: frozenset[str] = frozenset(), roles: Any = None) -> None:
    names, text = kb.names, doc.text
    first = kb.first_words
    n = len(doc)
    # per-token facts read once (a spaCy Token is a new object on every access)
    words = [t.text for t in doc]
    starts = [t.idx for t in doc]
    space = [t.is_space for t in doc]
    punct = [t.is_punct for t in doc]
    breaks = [0]  # breaks[k]: tokens before k holding a line break
    for w in words:
        breaks.append(breaks[-1] + ("\n" in w))
    i = 0
    matches: list[tuple[int, int, list[NameRef]]] = []
    while i < n:
        if space[i] or punct[i] or fold(words[i]) not in first:
            i += 1
            continue
        match = None
        for j in range(min(n, i + _MAX_NAME_TOKENS), i, -1):
            if space[j - 1] or (punct[j - 1] and j - 1 > i) or breaks[j] > breaks[i]:
                continue
            refs = names.get(fold(text[starts[i] : starts[j - 1] + len(words[j - 1])]))
            if refs:
                match = (j, refs)
                break
        if match is None:
            i += 1
            continue
        j, refs = match
        tok = doc[i]
        # A KB name written in lower case is an ordinary word ("chad", "turkey", "hamas"
        # excepted when the KB spells it so): require a capital letter for proper names.
        if not any(w[:1].isupper() for w in words[i:j]):
            i += 1
            continue
        # an acronym matches only in capitals: "ANA" the army, not "Ana" the name
        written = text[tok.idx : doc[j - 1].idx + len(doc[j - 1].text)]
        if not written.replace(".", "").replace("-", "").isupper():
            refs = [r for r in refs if not r.acronym]
            if not refs:
                i += 1
                continue
        start = i
        if (i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ in particles
                and not doc[i - 1].whitespace_):
            start = i - 2  # "Al-Sisi": the particle belongs to the name
        matches.append((start, j, refs))
        i = j
    # the countries the article's unambiguous names point to, and its places
    context: dict[str, int] = {}
    for _, _, refs in matches:
        if len(refs) == 1:
            e = kb.entities.get(refs[0].entity)
            if e is not None and e.country:
                context[e.country] = context.get(e.country, 0) + 1
    if gazetteer is not None:
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC", "FAC") and not names.get(fold(ent.text)):
                entry = gazetteer.lookup(ent.text) or (
                    gazetteer.lookup(ent[:-1].text) if len(ent) > 1 else None)
                if entry is not None and entry.country:
                    context[entry.country] = context.get(entry.country, 0) + 1
    ents = doc.ents
    # entities do not overlap: the one around each token, found once (long texts)
    ent_at = {t: e for e in ents for t in range(e.start, e.end)}
    persons = [e for e in ents if e.label_ == "PERSON"]
    matched = {t for m in matches for t in range(m[0], m[1])}
    for i, j, refs in matches:
        surface = fold(text[doc[i].idx : doc[j - 1].idx + len(doc[j - 1].text)])
        # a longer organisation name around the match, with a proper noun of its own
        around = ent_at.get(i)
        orgs = [e for e in ([around] if around is not None else [])
                if e.label_ == "ORG" and e.start <= i and j <= e.end and any(
                    t.pos_ == "PROPN" and not names.get(fold(t.text))
                    and (t.i < i or t.i >= j) for t in e)]
        if orgs and all(kb.entities.get(r.entity) is not None and
                        kb.entities[r.entity].kind in ("organisation", "group") for r in refs):
            continue  # "Kataib Hezbollah" is not Hezbollah
        first = doc[i]
        if j - i == 1 and first.pos_ == "NOUN" and first.is_sent_start and (
                first.text[1:].islower() and first.lemma_.lower() != first.lower_) and all(
                kb.entities.get(r.entity) is not None and
                kb.entities[r.entity].kind in ("organisation", "group") for r in refs):
            continue  # "Pirates seized a ship": the common noun, not the Pirate Party
        if j - i == 1 and all(
                (e := kb.entities.get(r.entity)) is not None and e.kind == "person"
                for r in refs):
            # one word of a longer name that is not the KB person's
            prev = doc[i - 1] if i > 0 else None
            if (prev is not None and prev.pos_ == "PROPN" and prev.text[:1].isupper()
                    and prev.i not in matched and prev.lower_.rstrip(".") not in honorifics
                    and not names.get(fold(prev.text)) and (prev.lemma_.lower(),) not in (
                        roles if roles is not None else ())):
                continue  # "Ana Beatriz Morales" is not Jimmy Morales
            nxt = doc[j] if j < n else None
            if (nxt is not None and nxt.pos_ == "PROPN" and nxt.text[:1].isupper()
                    and nxt.i not in matched and not names.get(fold(nxt.text))):
                continue  # "Morgan Kehr" is not James Pitia Morgan, "Silk Road" not John Silk
        longer = ent_at.get(i)
        if longer is not None and not (longer.label_ == "PERSON" and j <= longer.end
                                       and longer.end - longer.start > j - i):
            longer = None
        if longer is not None:
            # "Ismail Qaani" is not Sherif Ismail: a KB person matched inside a longer
            # name only when the longer name ends with the person's surname and its
            # first name agrees
            refs = [r for r in refs if _same_person(kb.entities.get(r.entity), longer.text)]
            if not refs:
                continue
        if generic and all(w in generic for w in surface.replace("-", " ").split()):
            # "National Police", "Supreme Court": only the institution of a country the
            # article names; otherwise the words stay a named entity, whose country the
            # context gives ("Ukraine's National Police")
            refs = [r for r in refs if not _foreign(kb.entities.get(r.entity), context)]
            if not refs:
                continue
        ref = refs[0] if len(refs) == 1 else _choose(kb, refs, published, context)
        entity = kb.entities.get(ref.entity)
        if (entity is not None and entity.kind == "person" and published is not None
                and j - i == 1 and not any(o.held_on(published) for o in entity.offices)):
            # "Traore" in 2024: the Traoré in office then, if the KB has one, rather than
            # a former holder whose alias the surname is
            current = person_variant(kb, surface, published, context, particles, True)
            if current is not None:
                found[i] = ActorMention(i, j, current.id, "variant", "person")
                continue
        found[i] = ActorMention(i, j, ref.entity if entity else None, ref.how,
                                entity.kind if entity else "?")
    taken = {t for m in found.values() for t in range(m.start_tok, m.end_tok)}
    # names the KB spells otherwise: people, and one-word names the tagger took for an
    # organisation but that speak or act ("Raeisi said")
    named = persons + [e for e in ents if e.label_ == "ORG" and len(e) == 1
                       and e.root.dep_ in ("nsubj", "nsubjpass") and e.root.pos_ == "PROPN"]
    for ent in named:
        if any(t in taken for t in range(ent.start, ent.end)):
            continue
        words = [t for t in ent if t.lower_.rstrip(".") not in honorifics]
        if not words:
            continue
        person = person_variant(kb, doc[words[0].i : words[-1].i + 1].text, published,
                                context, particles)
        if person is not None:
            found[ent.start] = ActorMention(ent.start, ent.end, person.id, "variant",
                                            "person")
    _surname_guards(doc, kb, published, found, persons)


# a bare surname is not a KB person who first took office more than this many years after
# the article ("Kumba", a Cameroonian town in 2016, is not South Sudan's foreign minister
# of 2025)
SURNAME_YEARS_AHEAD = 2


def _surname_guards(doc: Any, kb: KnowledgeBase, published: date | None,
                    found: dict[int, ActorMention], persons: list[Any]) -> None:
    """One-word KB person matches that name someone else: the surname of a person the
    article named in full before ("Abdullahi Osman Haji ... Haji said" is not Somalia's
    Hassan Hussein Haji; the bare name becomes the earlier person's, or nobody's), or of
    a person whose offices all begin years after the article."""
    for start in sorted(found):
        m = found[start]
        if m.end_tok - m.start_tok != 1 or m.label != "person" or m.entity is None:
            continue
        word = fold(doc[start].text)
        earlier = [e for e in persons if len(e) >= 2 and e.end <= start
                   and fold(e[-1].text) == word]
        if earlier:
            owners = [found[t].entity for e in earlier for t in range(e.start, e.end)
                      if t in found and found[t].label == "person"]
            if m.entity not in owners:
                if owners:
                    found[start] = ActorMention(start, m.end_tok, owners[-1], "surname",
                                                "person")
                else:
                    del found[start]
                continue
        entity = kb.entities.get(m.entity)
        if entity is not None and published is not None and entity.offices and all(
                o.start.year > published.year + SURNAME_YEARS_AHEAD for o in entity.offices):
            del found[start]


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
    _match_kb(doc, k.kb, published, found, k.cues.actors.generic_name_words,
              k.cues.actors.honorifics, k.gazetteer, k.cues.actors.name_particles, k.roles)
    taken = {t for m in found.values() for t in range(m.start_tok, m.end_tok)}
    _match_ner(doc, k, found, taken)
    mentions = tuple(found[s] for s in sorted(found))
    by_token = {t: n for n, m in enumerate(mentions) for t in range(m.start_tok, m.end_tok)}
    table = ActorTable(mentions=mentions, persons=(), by_token=by_token)
    return ActorTable(mentions=mentions, persons=person_identities(doc, table, k),
                      by_token=by_token)
