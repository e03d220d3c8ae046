"""Actors: find who is mentioned and resolve a noun phrase to actors in context.

Mentions come from the knowledge base (names, demonyms, adjectives, capitals and
seats of government used as metonyms, organisation and group aliases, office
holders) and from spaCy's named entities for people and organisations the KB lacks.
A noun phrase resolves through its head: a name, or a role noun ("minister",
"troops", "police") whose modifiers give the country ("Chile's foreign minister",
"the Kenyan interior minister", "his Peruvian counterpart", "ministers of A, B and
C"). A person's country and sector are those of the office held on the article's date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

import yaml

from parley.parse.nlp import sentence_of
from parley.resolve.gazetteer import fold, get_gazetteer
from parley.resolve.kb import Entity, KnowledgeBase

_MAX_NAME_TOKENS = 7
_ENT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_PRONOUNS_PERSON = frozenset({"he", "she", "him", "her"})
_PRONOUNS_GROUP = frozenset({"it", "they", "we"})
_SECTOR_LABEL = {
    "GOV": "government", "MIL": "military", "COP": "police", "JUD": "judiciary",
    "LEG": "legislature", "REB": "rebels", "OPP": "opposition", "CVL": "civilians",
    "SPY": "intelligence", "JRN": "media", "BUS": "business", "REL": "religious",
    "MED": "health", "CRM": "criminals", "LAB": "labour", "PRM": "paramilitary",
}


@lru_cache(maxsize=1)
def role_sectors() -> dict[tuple[str, ...], str]:
    text = resources.files("parley").joinpath("data", "lexicon", "roles.yaml").read_text("utf-8")
    table: dict[tuple[str, ...], str] = {}
    for sector, words in (yaml.safe_load(text) or {}).items():
        for w in words:
            table.setdefault(tuple(str(w).lower().split()), sector)
    return table


@dataclass(frozen=True, slots=True)
class Ref:
    """One resolved actor reference with the span that names it."""

    key: str
    name: str
    kind: str
    country: str | None
    sector: str | None
    start: int
    end: int
    surface: str


@dataclass(slots=True)
class Hit:
    """A name found in the text: a KB entity or an unknown named entity."""

    start_tok: int
    end_tok: int
    entity: Entity | None
    how: str  # name | demonym | adjective | capital | seat | ner
    label: str  # KB kind or spaCy label


@dataclass
class ActorIndex:
    doc: object
    kb: KnowledgeBase
    published: date | None
    hits: list[Hit] = field(default_factory=list)
    by_token: dict[int, Hit] = field(default_factory=dict)
    person_keys: dict[str, Ref] = field(default_factory=dict)

    @classmethod
    def build(cls, doc, kb: KnowledgeBase, published: date | None) -> ActorIndex:
        index = cls(doc, kb, published)
        index._match_kb()
        index._match_ner()
        return index

    # -- detection -----------------------------------------------------------------

    def _match_kb(self) -> None:
        doc, names, text = self.doc, self.kb.names, self.doc.text
        first = _first_words(self.kb)
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            if tok.is_space or tok.is_punct or fold(tok.text) not in first:
                i += 1
                continue
            found = None
            for j in range(min(n, i + _MAX_NAME_TOKENS), i, -1):
                last = doc[j - 1]
                if last.is_space or (last.is_punct and j - 1 > i) or "\n" in doc[i:j].text:
                    continue
                key = fold(text[tok.idx : last.idx + len(last.text)])
                refs = names.get(key)
                if refs:
                    found = (j, refs)
                    break
            if found is None:
                i += 1
                continue
            j, refs = found
            span = doc[i:j]
            # A KB name written in lower case is an ordinary word ("chad", "turkey", "hamas"
            # excepted when the KB spells it so): require a capital letter for proper names.
            if not any(t.text[:1].isupper() for t in span):
                i += 1
                continue
            ref = self._choose(refs)
            entity = self.kb.entities.get(ref.entity)
            hit = Hit(i, j, entity, ref.how, entity.kind if entity else "?")
            self.hits.append(hit)
            for k in range(i, j):
                self.by_token[k] = hit
            i = j

    def _choose(self, refs):
        # Prefer a person holding office on the article date, then countries, orgs, groups.
        order = {"country": 0, "organisation": 1, "group": 2, "person": 3}

        def score(r):
            e = self.kb.entities.get(r.entity)
            if e is None:
                return (9, 0)
            if e.kind == "person":
                return (0 if e.office_on(self.published) and any(
                    o.held_on(self.published) for o in e.offices) else 4, 0)
            return (order.get(e.kind, 5), 0)

        return min(refs, key=score)

    def _match_ner(self) -> None:
        for ent in self.doc.ents:
            if ent.label_ not in _ENT_LABELS:
                continue
            if any(k in self.by_token for k in range(ent.start, ent.end)):
                continue
            if ent.label_ in ("GPE", "NORP"):
                entity = self._fuzzy_country(ent.text)
                if entity is not None:
                    hit = Hit(ent.start, ent.end, entity, "name" if ent.label_ == "GPE"
                              else "adjective", "country")
                    self.hits.append(hit)
                    for k in range(ent.start, ent.end):
                        self.by_token[k] = hit
                    continue
            if ent.label_ in ("NORP", "LOC", "FAC"):
                continue
            start, end = ent.start, ent.end
            while start < end and self.doc[start].lower_ in ("the", "a", "an"):
                start += 1
            while end > start and self.doc[end - 1].is_punct:
                end -= 1
            if ent.label_ == "PERSON":
                # the small model often tags only the surname: take given names too
                while start > 0 and self._given_name(self.doc[start - 1]):
                    start -= 1
            if start == end:
                continue
            hit = Hit(start, end, None, "ner", ent.label_)
            self.hits.append(hit)
            for k in range(start, end):
                self.by_token[k] = hit
        self.hits.sort(key=lambda h: h.start_tok)

    def _given_name(self, tok) -> bool:
        return (tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.text[1:].islower()
                and tok.i not in self.by_token and tok.ent_type_ not in ("GPE", "ORG", "NORP")
                and (tok.lemma_.lower(),) not in role_sectors())

    def _fuzzy_country(self, text: str) -> Entity | None:
        """A misspelt country name or demonym ("Ethopia", "Quatar") in a named entity."""
        key = fold(text)
        if len(key) < 5:
            return None
        from rapidfuzz import fuzz, process

        choices = _country_names(self.kb)
        best = process.extractOne(key, choices.keys(), scorer=fuzz.ratio, score_cutoff=88)
        return self.kb.entities.get(choices[best[0]]) if best else None

    # -- resolution ------------------------------------------------------------------

    def refs_for(self, token) -> list[Ref]:
        """Actors named by the noun phrase headed by ``token`` (and its conjuncts)."""
        out: list[Ref] = []
        for t in [token, *token.conjuncts]:
            for ref in self._refs_one(t):
                if all(r.key != ref.key for r in out):
                    out.append(ref)
        return out

    def _refs_one(self, t) -> list[Ref]:
        hit = self.by_token.get(t.i)
        if hit is not None:
            ref = self._ref_from_hit(hit, context=t)
            return [ref] if ref else []
        if t.lower_ in _PRONOUNS_PERSON:
            prior = self._last_person_before(t.idx)
            return [prior] if prior else []
        if t.lower_ in _PRONOUNS_GROUP and t.dep_ in ("nsubj", "nsubjpass"):
            return self._reported_speaker(t)
        sector = self._role_sector(t)
        if sector is not None:
            # "Chile's foreign minister, Ana Morales,": the named person, who takes the
            # title's country when the KB does not know her
            for child in t.children:
                if child.dep_ == "appos":
                    refs = [r for r in self.refs_for(child) if r.kind == "person"]
                    if refs:
                        return refs
            # "the foreign ministers of Kenya, Ethiopia and Somalia" / "Chile's minister"
            return self._modifier_refs(t, sector)
        # "Chinese vessels", "a Russian missile": the modifier gives the country only.
        return self._modifier_refs(t, None, shallow=True)

    def _reported_speaker(self, t) -> list[Ref]:
        """"Hungary said it will support ...": "it" is the subject of the reporting verb."""
        node = t.head
        for _ in range(3):
            if node.dep_ not in ("ccomp", "xcomp", "conj", "advcl") or node.head is node:
                return []
            node = node.head
            subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")
                    and c.lower_ not in _PRONOUNS_GROUP]
            if subj:
                return self.refs_for(subj[0])
        return []

    def _role_sector(self, t) -> str | None:
        table = role_sectors()
        lemma = t.lemma_.lower()
        # multiword roles: "prime minister", "armed forces", "air force"
        for child in t.children:
            if child.dep_ in ("compound", "amod") and child.i == t.i - 1:
                hit = table.get((child.lemma_.lower(), lemma)) or table.get(
                    (child.lower_, t.lower_))
                if hit:
                    return hit
        # "police officers", "opposition groups": a compound role noun decides
        for child in t.children:
            if child.dep_ == "compound" and (child.lemma_.lower(),) in table:
                return table[(child.lemma_.lower(),)]
        return table.get((lemma,))

    def _modifier_refs(self, t, sector: str | None, shallow: bool = False) -> list[Ref]:
        refs: list[Ref] = []
        seen_hits: set[int] = set()
        candidates = []
        for child in t.children:
            if child.dep_ in ("amod", "compound", "poss", "nmod", "npadvmod", "nn"):
                candidates.append(child)
            elif not shallow and child.dep_ == "prep" and child.lower_ in (
                    "of", "from", "for", "in", "inside", "throughout", "across"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        candidates.extend([pobj, *pobj.conjuncts])
        for c in candidates:
            if c.dep_ == "poss" and c.lower_ in ("its", "their"):
                # "its defence minister": the country or group named last before it
                prior = self._nearest_before(c)
                if prior is not None and id(prior) not in seen_hits:
                    seen_hits.add(id(prior))
                    ref = self._ref_from_hit(prior, context=t, sector=sector)
                    if ref:
                        refs.append(ref)
                continue
            for tok in [c, *(x for x in c.subtree
                             if x.dep_ in ("compound", "poss", "amod", "conj"))]:
                hit = self.by_token.get(tok.i)
                if hit is None or id(hit) in seen_hits:
                    continue
                seen_hits.add(id(hit))
                ref = self._ref_from_hit(hit, context=t, sector=sector)
                if ref and all(r.key != ref.key for r in refs):
                    refs.append(ref)
        # conjoined adjectives: "Hungarian and Romanian officials"
        return refs

    def _ref_from_hit(self, hit: Hit, *, context, sector: str | None = None) -> Ref | None:
        doc = self.doc
        span = doc[hit.start_tok : hit.end_tok]
        start, end = span.start_char, span.end_char
        e = hit.entity
        if e is not None:
            if e.kind == "country":
                sec = sector
                if sec is None:
                    sec = "CVL" if hit.how == "demonym" and span.text.endswith("s") else "GOV"
                name = e.name if sec == "GOV" else f"{e.name} ({_SECTOR_LABEL.get(sec, sec)})"
                return Ref(f"country:{e.country}/{sec}", name, "country", e.country, sec,
                           start, end, span.text)
            if e.kind == "person":
                office = e.office_on(self.published)
                ref = Ref(e.id, e.name, "person", office.country if office else e.country,
                          office.sector if office else e.sector, start, end, span.text)
                self.person_keys[e.id] = ref
                return ref
            if e.kind == "organisation":
                return Ref(e.id, e.name, "organisation", None, sector or e.sector,
                           start, end, span.text)
            return Ref(e.id, e.name, "group", e.country, e.sector, start, end, span.text)
        # unknown named entity
        if hit.label == "PERSON":
            return self._unknown_person(span)
        if hit.label == "ORG":
            country, sec = self._title_context(span, window=False)
            return Ref(f"org:{fold(span.text)}", span.text, "organisation", country,
                       sector or sec, start, end, span.text)
        if hit.label == "GPE":
            place = get_gazetteer().lookup(span.text)
            if place is not None and place.country:
                sec = sector or "GOV"
                name = span.text if sec == "GOV" else f"{span.text} ({_SECTOR_LABEL.get(sec, sec)})"
                return Ref(f"place:{fold(place.name)}/{place.country}/{sec}", name, "country",
                           place.country, sec, start, end, span.text)
        return None

    def _unknown_person(self, span) -> Ref:
        text = span.text
        if text.endswith("'s"):
            text = text[:-2]
        key = "person:" + fold(text)
        # "Doe" after "Jane Doe": the same person
        if " " not in text.strip():
            for k, prior in self.person_keys.items():
                if k.startswith("person:") and fold(prior.name).split()[-1] == fold(text):
                    return Ref(prior.key, prior.name, "person", prior.country, prior.sector,
                               span.start_char, span.end_char, span.text)
        country, sector = self._title_context(span)
        if country is None and sector is not None:
            country = self._nearest_country(span)
        ref = Ref(key, text, "person", country, sector, span.start_char, span.end_char, span.text)
        if key not in self.person_keys or (country and not self.person_keys[key].country):
            self.person_keys[key] = ref
        elif self.person_keys[key].country:
            p = self.person_keys[key]
            ref = Ref(key, text, "person", p.country, p.sector, span.start_char, span.end_char,
                      span.text)
        return ref

    def _title_context(self, span, *, window: bool = True) -> tuple[str | None, str | None]:
        """Country and sector from a title or appositive around a name.

        "Kenyan Foreign Minister Jane Doe", "Jane Doe, Chile's foreign minister",
        "Chile's foreign minister, Jane Doe".
        """
        root = span.root
        tokens = []
        # compounds/amods left of the name inside its phrase
        tokens.extend(t for t in root.subtree if t.i < span.start)
        for child in root.children:
            if child.dep_ == "appos":
                tokens.extend(child.subtree)
        if root.dep_ == "appos":
            tokens.extend(t for t in root.head.subtree if t.i < span.start or t.i >= span.end)
        if window:
            # a small window before a name catches titles the parser attached elsewhere
            start = max(sentence_of(span.root).start, span.start - 4)
            tokens.extend(self.doc[start : span.start])
        country = sector = None
        table = role_sectors()
        for tok in tokens:
            hit = self.by_token.get(tok.i)
            if hit is not None and hit.entity is not None and country is None:
                if hit.entity.kind == "country":
                    country = hit.entity.country
                elif hit.entity.kind in ("organisation", "group") and hit.entity.country:
                    country = hit.entity.country
            if sector is None and (tok.lemma_.lower(),) in table:
                sector = table[(tok.lemma_.lower(),)]
        return country, sector

    def _nearest_before(self, tok) -> Hit | None:
        best = None
        for hit in self.hits:
            if hit.start_tok >= tok.i:
                break
            if hit.start_tok >= sentence_of(tok).start and hit.entity is not None and (
                    hit.entity.kind in ("country", "organisation", "group")):
                best = hit
        return best

    def _nearest_country(self, span) -> str | None:
        """A titled person with no country given ("President X"): the country named
        nearest in the same sentence is the best guess an analyst would make."""
        best = None
        sent = sentence_of(span.root)
        for hit in self.hits:
            if hit.entity is None or hit.start_tok < sent.start or hit.start_tok >= sent.end:
                continue
            country = hit.entity.country
            if country:
                dist = abs(hit.start_tok - span.start)
                if best is None or dist < best[0]:
                    best = (dist, country)
        return best[1] if best else None

    def _last_person_before(self, offset: int) -> Ref | None:
        best = None
        for hit in self.hits:
            span = self.doc[hit.start_tok : hit.end_tok]
            if span.end_char > offset:
                break
            if (hit.entity is not None and hit.entity.kind == "person") or hit.label == "PERSON":
                best = hit
        if best is None:
            return None
        ref = self._ref_from_hit(best, context=None)
        return ref

    def all_refs(self) -> list[Ref]:
        """Every name found in the text, resolved (for the document's actor list)."""
        refs = []
        for hit in self.hits:
            if hit.entity is not None and hit.entity.kind == "country" and hit.how == "adjective":
                continue  # "Russian" alone is a modifier, not an actor
            ref = self._ref_from_hit(hit, context=None)
            if ref is not None:
                refs.append(ref)
        return refs


def _country_names(kb: KnowledgeBase) -> dict[str, str]:
    cached = getattr(kb, "_country_names", None)
    if cached is None:
        cached = {}
        for key, refs in kb.names.items():
            for r in refs:
                if r.entity.startswith("country:") and r.how in ("name", "demonym", "adjective"):
                    cached.setdefault(key, r.entity)
        kb._country_names = cached  # type: ignore[attr-defined]
    return cached


def _first_words(kb: KnowledgeBase) -> frozenset[str]:
    """First words of every KB name: a cheap filter before trying longer matches."""
    cached = getattr(kb, "_first_words", None)
    if cached is None:
        cached = frozenset(key.split(" ")[0] for key in kb.names)
        kb._first_words = cached  # type: ignore[attr-defined]
    return cached
