"""Resolve a noun phrase to actors, in context; no state is kept between calls.

A noun phrase resolves through its head: a name, or a role noun ("minister",
"troops", "police") whose modifiers give the country ("Chile's foreign minister",
"the Kenyan interior minister", "his Peruvian counterpart", "ministers of A, B and
C"). A person's country and sector are those of the office held on the article's date;
a person the knowledge base does not know takes the identity the actors stage settled
for the whole document (``ActorTable.persons``).
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Any

from parley.knowledge import Knowledge
from parley.knowledge.names import fold
from parley.model import ActorMention, ActorRef, ActorTable
from parley.parse.nlp import entities_in, sentence_of

_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})


def person_ref(ref: ActorRef, start: int, end: int, surface: str) -> ActorRef:
    """A person's identity, named at another span."""
    return ActorRef(ref.key, ref.name, "person", ref.country, ref.sector, start, end, surface,
                    ref.kb_id)


def _possessive_free(text: str) -> str:
    return text[:-2] if text.endswith("'s") else text


def _title_context(doc: Any, table: ActorTable, k: Knowledge, span: Any, *,
                   window: bool = True) -> tuple[str | None, str | None]:
    """Country and sector from a title or appositive around a name.

    "Kenyan Foreign Minister Jane Doe", "Jane Doe, Chile's foreign minister",
    "Chile's foreign minister, Jane Doe".
    """
    root = span.root
    tokens: list[Any] = []
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
        tokens.extend(doc[start : span.start])
    country: str | None = None
    sector: str | None = None
    for tok in tokens:
        n = table.by_token.get(tok.i)
        if n is not None and country is None:
            e = k.kb.entities.get(table.mentions[n].entity or "")
            if e is not None:
                if e.kind == "country":
                    country = e.country
                elif e.kind in ("organisation", "group") and e.country:
                    country = e.country
        if sector is None:
            sector = k.roles.get((tok.lemma_.lower(),))
    return country, sector


def _nearest_country(doc: Any, table: ActorTable, k: Knowledge, span: Any) -> str | None:
    """A titled person with no country given ("President X"): the country named
    nearest in the same sentence is the best guess an analyst would make."""
    best = None
    sent = sentence_of(span.root)
    for m in table.mentions:
        if m.entity is None or m.start_tok < sent.start or m.start_tok >= sent.end:
            continue
        e = k.kb.entities.get(m.entity)
        if e is not None and e.country:
            dist = abs(m.start_tok - span.start)
            if best is None or dist < best[0]:
                best = (dist, e.country)
    return best[1] if best else None


def person_identities(doc: Any, table: ActorTable, k: Knowledge
                      ) -> tuple[ActorRef | None, ...]:
    """For every mention of a person the knowledge base does not know, who it is.

    In text order: a one-word name that is the surname of a person named before is that
    person; otherwise the name (without "'s") is the identity. A person's country and
    sector come from the first mention whose title or appositive gives a country
    ("Kenyan Foreign Minister Jane Doe"), else from the first with a title at all.
    """
    keys: list[str | None] = []
    names: dict[str, str] = {}
    own: list[tuple[str | None, str | None]] = []
    for m in table.mentions:
        if m.entity is not None or m.label != "PERSON":
            keys.append(None)
            own.append((None, None))
            continue
        span = doc[m.start_tok : m.end_tok]
        text = _possessive_free(span.text)
        key = "person:" + fold(text)
        if " " not in text.strip():
            # "Doe" after "Jane Doe": the same person
            key = next((kk for kk, name in names.items()
                        if fold(name).split()[-1] == fold(text)), key)
        names.setdefault(key, text)
        keys.append(key)
        country, sector = _title_context(doc, table, k, span)
        if country is None and sector is not None:
            country = _nearest_country(doc, table, k, span)
        own.append((country, sector))
    settled: dict[str, tuple[str | None, str | None]] = {}
    for ident, (country, sector) in zip(keys, own, strict=True):
        if ident is None:
            continue
        prior = settled.get(ident)
        if prior is None or (country and not prior[0]):
            settled[ident] = (country, sector)
    out: list[ActorRef | None] = []
    for m, ident in zip(table.mentions, keys, strict=True):
        if ident is None:
            out.append(None)
            continue
        span = doc[m.start_tok : m.end_tok]
        country, sector = settled[ident]
        out.append(ActorRef(ident, names[ident], "person", country, sector,
                            span.start_char, span.end_char, span.text))
    return tuple(out)


class Resolver:
    """Resolves tokens of one parsed document to actors (pure: no state changes)."""

    def __init__(self, doc: Any, table: ActorTable, knowledge: Knowledge,
                 published: date | None):
        self.doc = doc
        self.text = doc.text  # Doc.text joins every token: read it once
        self.table = table
        self.k = knowledge
        self.published = published
        self.cues = knowledge.cues.actors

    # -- references ---------------------------------------------------------------------

    def refs_for(self, token: Any) -> list[ActorRef]:
        """Actors named by the noun phrase headed by ``token`` (and its conjuncts)."""
        out: list[ActorRef] = []
        for t in [token, *token.conjuncts]:
            for ref in self._refs_one(t):
                if all(r.key != ref.key for r in out):
                    out.append(ref)
        return out

    def mention_at(self, token_i: int) -> ActorMention | None:
        n = self.table.by_token.get(token_i)
        return self.table.mentions[n] if n is not None else None

    def _refs_one(self, t: Any) -> list[ActorRef]:
        n = self.table.by_token.get(t.i)
        if n is not None:
            ref = self.ref_of(n)
            return [ref] if ref else []
        if t.lower_ in self.cues.person_pronouns:
            prior = self._last_person_before(t.idx)
            return [prior] if prior else []
        if t.lower_ in self.cues.group_pronouns and t.dep_ in ("nsubj", "nsubjpass"):
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

    def _reported_speaker(self, t: Any) -> list[ActorRef]:
        """"Hungary said it will support ...": "it" is the subject of the reporting verb."""
        node = t.head
        for _ in range(3):
            if node.dep_ not in ("ccomp", "xcomp", "conj", "advcl") or node.head.i == node.i:
                return []
            node = node.head
            subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")
                    and c.lower_ not in self.cues.group_pronouns]
            if subj:
                return self.refs_for(subj[0])
        return []

    def _role_sector(self, t: Any) -> str | None:
        roles = self.k.roles
        lemma = t.lemma_.lower()
        # multiword roles: "prime minister", "armed forces", "air force"
        for child in t.children:
            if child.dep_ in ("compound", "amod") and child.i == t.i - 1:
                hit = roles.get((child.lemma_.lower(), lemma)) or roles.get(
                    (child.lower_, t.lower_))
                if hit:
                    return hit
        # "police officers", "opposition groups": a compound role noun decides
        for child in t.children:
            if child.dep_ == "compound" and (child.lemma_.lower(),) in roles:
                return roles.get((child.lemma_.lower(),))
        return roles.get((lemma,))

    def role_sector(self, t: Any) -> str | None:
        return self._role_sector(t)

    def role_refs(self, t: Any) -> list[ActorRef]:
        """A role noun no country modifies ("gunmen", "the police", "protesters") as a
        generic actor of its sector; its country is the one the context gives: a country
        named in the same sentence, else the document's most named country."""
        sector = self._role_sector(t)
        if sector is None:
            return []
        words = [c for c in t.children if c.dep_ in ("compound", "amod") and c.i < t.i]
        if t.lemma_.lower() in self.k.cues.places.region_nouns and any(
                c.dep_ == "compound" and self.k.gazetteer.region(c.text) for c in words):
            return []  # "Zamfara state": a place, not the state as an actor
        start_tok = min([t, *words], key=lambda x: x.i)
        span = self.doc[start_tok.i : t.i + 1]
        country = self._sentence_country(t) or self.document_country
        name = span.text.lower() if not span.text.isupper() else span.text
        return [ActorRef(f"role:{sector}:{country or '-'}:{t.lemma_.lower()}", name, "other",
                         country, sector, span.start_char, span.end_char, span.text)]

    def _sentence_country(self, t: Any) -> str | None:
        sent = sentence_of(t)
        best = None
        for m in self.table.mentions:
            if not sent.start <= m.start_tok < sent.end or m.entity is None:
                continue
            e = self.k.kb.entities.get(m.entity)
            if e is not None and e.kind == "country":
                dist = abs(m.start_tok - t.i)
                if best is None or dist < best[0]:
                    best = (dist, e.country)
        if best is None:
            # "gunmen in Zamfara state", "near Reasi in Jammu and Kashmir": a place of the
            # sentence the gazetteer knows
            for ent in entities_in(sent, _PLACE_ENTS):
                entry = self.k.gazetteer.lookup(ent.text) or (
                    self.k.gazetteer.lookup(ent[:-1].text) if len(ent) > 1 else None)
                if entry is not None and entry.country:
                    dist = abs(ent.start - t.i)
                    if best is None or dist < best[0]:
                        best = (dist, entry.country)
        return best[1] if best else None

    @cached_property
    def document_country(self) -> str | None:
        """The country the document names most (its likely setting)."""
        counts: dict[str, int] = {}
        for m in self.table.mentions:
            e = self.k.kb.entities.get(m.entity) if m.entity else None
            if e is not None and e.kind == "country" and e.country:
                counts[e.country] = counts.get(e.country, 0) + 1
        return max(counts, key=lambda c: counts[c]) if counts else None

    def _modifier_refs(self, t: Any, sector: str | None, shallow: bool = False
                       ) -> list[ActorRef]:
        refs: list[ActorRef] = []
        seen: set[int] = set()
        candidates = []
        for child in t.children:
            if child.dep_ in ("amod", "compound", "poss", "nmod", "npadvmod", "nn"):
                candidates.append(child)
            elif not shallow and child.dep_ == "prep" and (
                    child.lower_ in self.cues.modifier_prepositions):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        candidates.extend([pobj, *pobj.conjuncts])
        for c in candidates:
            if c.dep_ == "poss" and c.lower_ in self.cues.possessive_pronouns:
                # "its defence minister": the country or group named last before it
                prior = self._nearest_before(c)
                if prior is not None and prior not in seen:
                    seen.add(prior)
                    ref = self.ref_of(prior, sector=sector)
                    if ref:
                        refs.append(ref)
                continue
            # conjoined adjectives: "Hungarian and Romanian officials"
            for tok in [c, *(x for x in c.subtree
                             if x.dep_ in ("compound", "poss", "amod", "conj"))]:
                n = self.table.by_token.get(tok.i)
                if n is None or n in seen:
                    continue
                seen.add(n)
                ref = self.ref_of(n, sector=sector)
                if ref and all(r.key != ref.key for r in refs):
                    refs.append(self._with_role_noun(ref, t) if sector else ref)
        return refs

    def _with_role_noun(self, ref: ActorRef, t: Any) -> ActorRef:
        """"Israeli lawmakers", "troops from Chad": the evidence is the whole phrase, the
        role noun with the country that modifies it."""
        from dataclasses import replace

        left, right = t.left_edge, t.right_edge
        if not (left.idx <= ref.start and ref.end <= right.idx + len(right.text)):
            return ref  # "its troops": the country named before stays its own evidence
        start, end = min(ref.start, t.idx), max(ref.end, t.idx + len(t.text))
        return replace(ref, start=start, end=end, surface=self.text[start:end])

    def ref_of(self, n: int, *, sector: str | None = None) -> ActorRef | None:
        """The actor mention ``n`` names (with ``sector`` for a role noun's country)."""
        m = self.table.mentions[n]
        span = self.doc[m.start_tok : m.end_tok]
        start, end = span.start_char, span.end_char
        e = self.k.kb.entities.get(m.entity) if m.entity else None
        labels = self.cues.sector_labels
        if e is not None:
            if e.kind == "country":
                sec = sector
                if sec is None:
                    sec = "CVL" if m.how == "demonym" and span.text.endswith("s") else "GOV"
                name = e.name if sec == "GOV" else f"{e.name} ({labels.get(sec, sec)})"
                return ActorRef(f"country:{e.country}/{sec}", name, "country", e.country, sec,
                                start, end, span.text, e.id)
            if e.kind == "person":
                office = e.office_on(self.published)
                sec = office.sector if office else e.sector
                if office is not None and self.published is not None and not any(
                        o.held_on(self.published) for o in e.offices) and all(
                        o.end is not None and o.end < self.published for o in e.offices):
                    sec = "ELI"  # out of office by the article's date: a former official
                return ActorRef(e.id, e.name, "person",
                                office.country if office else e.country, sec, start, end,
                                span.text, e.id)
            if e.kind == "organisation":
                return ActorRef(e.id, e.name, "organisation", e.country, sector or e.sector,
                                start, end, span.text, e.id)
            return ActorRef(e.id, e.name, "group", e.country, e.sector, start, end, span.text,
                            e.id)
        # unknown named entity
        if m.label == "PERSON":
            ident = self.table.persons[n]
            if ident is not None:
                return person_ref(ident, start, end, span.text)
            return None
        if m.label == "ORG":
            country, sec = _title_context(self.doc, self.table, self.k, span, window=False)
            return ActorRef(f"org:{fold(span.text)}", span.text, "organisation", country,
                            sector or sec, start, end, span.text)
        if m.label == "GPE":
            place = self.k.gazetteer.lookup(span.text)
            if place is not None and place.country:
                sec = sector or "GOV"
                name = span.text if sec == "GOV" else f"{span.text} ({labels.get(sec, sec)})"
                return ActorRef(f"place:{fold(place.name)}/{place.country}/{sec}", name,
                                "country", place.country, sec, start, end, span.text,
                                f"country:{place.country}")
        return None

    def _nearest_before(self, tok: Any) -> int | None:
        best = None
        sent_start = sentence_of(tok).start
        for n, m in enumerate(self.table.mentions):
            if m.start_tok >= tok.i:
                break
            if m.start_tok >= sent_start and m.entity is not None:
                e = self.k.kb.entities.get(m.entity)
                if e is not None and e.kind in ("country", "organisation", "group"):
                    best = n
        return best

    def _last_person_before(self, offset: int) -> ActorRef | None:
        best = None
        for n, m in enumerate(self.table.mentions):
            if self.doc[m.end_tok - 1].idx + len(self.doc[m.end_tok - 1].text) > offset:
                break
            e = self.k.kb.entities.get(m.entity) if m.entity else None
            if (e is not None and e.kind == "person") or m.label == "PERSON":
                best = n
        return self.ref_of(best) if best is not None else None

    def all_refs(self) -> list[ActorRef]:
        """Every name found in the text, resolved (for the document's actor list)."""
        refs = []
        for n, m in enumerate(self.table.mentions):
            e = self.k.kb.entities.get(m.entity) if m.entity else None
            if e is not None and e.kind == "country" and m.how == "adjective":
                continue  # "Russian" alone is a modifier, not an actor
            ref = self.ref_of(n)
            if ref is not None:
                refs.append(ref)
        return refs
