"""Event mentions: triggers from the lexicon, participants from the dependency parse.

For each sentence: find trigger tokens (verbs, event nouns, multiword phrases and
verb+particle pairs), then read their participants off the parse: subjects (with
coordination, passive agents, control verbs and relative clauses), objects and the
prepositions that mark recipients ("sanctions on", "attack against", "aid to",
"talks with/between"). Every mention keeps its trigger span and its sentence span.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parley.extract.factuality import factuality
from parley.extract.lexicon import Entry, Lexicon
from parley.resolve.actors import ActorIndex, Ref

# Types whose participants act together rather than on one another.
SYMMETRIC = frozenset({"AGREE", "CONSULT", "COOPERATE"})
# Prepositions that introduce the recipient (or co-participant) per type.
RECIPIENT_PREPS: dict[str, frozenset[str]] = {
    "AGREE": frozenset({"with"}),
    "CONSULT": frozenset({"with", "between", "among"}),
    "COOPERATE": frozenset({"with", "between"}),
    "SUPPORT": frozenset({"for", "to"}),
    "CONCEDE": frozenset({"to"}),
    "AID": frozenset({"to", "for"}),
    "RETREAT": frozenset({"from"}),
    "REQUEST": frozenset({"from", "to", "on"}),
    "ACCUSE": frozenset({"against", "of", "on", "at"}),
    "REJECT": frozenset({"from", "by"}),
    "THREATEN": frozenset({"against", "to", "on"}),
    "PROTEST": frozenset({"against", "outside", "at"}),
    "SANCTION": frozenset({"on", "against", "upon", "from"}),
    "MOBILIZE": frozenset({"against", "near", "on"}),
    "COERCE": frozenset({"on", "against", "from"}),
    "ASSAULT": frozenset({"on", "against", "at", "in"}),
}
# Verbs that carry a nominal event: "held talks", "launched airstrikes", "imposed sanctions".
LIGHT_VERBS = frozenset({
    "hold", "launch", "carry", "conduct", "stage", "impose", "announce", "begin", "host",
    "attend", "join", "sign", "reach", "make", "give", "provide", "send", "issue", "mount",
    "deliver", "offer", "extend", "take", "have", "start", "resume", "open", "organize",
    "organise", "lead", "level", "file", "lodge", "unleash", "step", "intensify", "continue",
    "order", "approve", "kill", "wage", "commit", "perpetrate", "undertake", "pay",
})
_SUBJ = ("nsubj", "csubj")


@dataclass
class EventMention:
    type: str
    mode: str | None
    factuality: str
    weight: float
    trigger_start: int  # char offsets
    trigger_end: int
    sent_start: int
    sent_end: int
    head_i: int  # token index of the trigger head
    depth: int  # distance of the trigger from its sentence root
    nominal: bool
    definite: bool
    actors: list[Ref] = field(default_factory=list)
    recipients: list[Ref] = field(default_factory=list)
    date_expr: tuple[int, int] | None = None
    date_value: str | None = None
    date_precision: str | None = None
    place: object | None = None

    @property
    def participant_keys(self) -> set[str]:
        return {r.key for r in self.actors + self.recipients}


@dataclass(frozen=True, slots=True)
class _Trigger:
    entry: Entry
    head: object  # spaCy Token
    start: int  # token indices
    end: int


def _depth(tok) -> int:
    d = 0
    while tok.head is not tok and d < 50:
        tok, d = tok.head, d + 1
    return d


def _objects_ok(entry: Entry, tok) -> bool:
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


def find_triggers(sent, lex: Lexicon) -> list[_Trigger]:
    found: list[_Trigger] = []
    used: set[int] = set()
    tokens = list(sent)
    lemmas = [t.lemma_.lower() for t in tokens]
    # phrases first: the longer, more specific reading wins
    for k, tok in enumerate(tokens):
        for entry in lex.phrases.get(lemmas[k], ()):
            n = len(entry.lemmas)
            if tuple(lemmas[k : k + n]) != entry.lemmas:
                continue
            span = tokens[k : k + n]
            if any(t.i in used for t in span):
                continue
            head = min(span, key=_depth)
            if not _objects_ok(entry, head) and entry.objects:
                continue
            found.append(_Trigger(entry, head, span[0].i, span[-1].i + 1))
            used.update(t.i for t in span)
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
        found.append(_Trigger(entry, tok, tok.i, end))
        used.add(tok.i)
    return found


# -- arguments -----------------------------------------------------------------------


def _subjects(tok):
    """Subject tokens of a predicate, following passives, control and coordination."""
    subs = [c for c in tok.children if c.dep_ in _SUBJ]
    if subs:
        return subs
    agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if agent:
        return agent
    head = tok.head
    if tok.dep_ in ("xcomp", "conj", "advcl", "pcomp") and head is not tok:
        if tok.dep_ == "conj" or head.pos_ in ("VERB", "AUX"):
            return _subjects(head)
    if tok.dep_ == "pcomp" and head.head is not head:  # "by attacking": the verb's subject
        return _subjects(head.head)
    if tok.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
        return [head]
    return []


def _passive_patients(tok):
    return [c for c in tok.children if c.dep_ == "nsubjpass"]


def _prep_objects(tok, preps: frozenset[str]):
    out = []
    for child in tok.children:
        if child.dep_ in ("prep", "dative") and child.lower_ in preps:
            out.extend(g for g in child.children if g.dep_ == "pobj")
    return out


def _resolve(index: ActorIndex, tokens) -> list[Ref]:
    refs: list[Ref] = []
    for t in tokens:
        for r in index.refs_for(t):
            if all(r.key != x.key for x in refs):
                refs.append(r)
    return refs


def _verb_arguments(trig: _Trigger, index: ActorIndex) -> tuple[list[Ref], list[Ref]]:
    tok, etype = trig.head, trig.entry.type
    preps = RECIPIENT_PREPS.get(etype, frozenset())
    patients = _passive_patients(tok)
    if patients:  # "sanctions were imposed on X by Y", "X was attacked by Y"
        actors = _resolve(index, [g for c in tok.children if c.dep_ == "agent"
                                  for g in c.children if g.dep_ == "pobj"])
        recipients = _resolve(index, patients)
    else:
        actors = _resolve(index, _subjects(tok))
        objs = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
        recipients = _resolve(index, objs)
        # the object of an object: "urged X to withdraw" (X), "accused X of ..." (X)
        if not recipients:
            recipients = _resolve(index, [g for o in objs for g in o.children
                                          if g.dep_ == "poss"])
    recipients += [r for r in _resolve(index, _prep_objects(tok, preps))
                   if all(r.key != x.key for x in recipients)]
    # "agreed with", "met with": the object of the event noun if the verb is light
    for child in tok.children:
        if child.dep_ == "dobj" and child.pos_ == "NOUN":
            for r in _resolve(index, _prep_objects(child, preps)):
                if all(r.key != x.key for x in recipients):
                    recipients.append(r)
    return actors, recipients


def _noun_arguments(trig: _Trigger, index: ActorIndex) -> tuple[list[Ref], list[Ref]]:
    tok, etype = trig.head, trig.entry.type
    preps = RECIPIENT_PREPS.get(etype, frozenset())
    actors: list[Ref] = []
    recipients: list[Ref] = []
    # "Russia's attack", "Russian airstrikes", "US-China talks", "talks by X"
    mods = [c for c in tok.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
    actors += _resolve(index, mods)
    actors += [r for r in _resolve(index, _prep_objects(tok, frozenset({"by", "from", "of"})))
               if all(r.key != x.key for x in actors)]
    recipients += _resolve(index, _prep_objects(tok, preps))
    # the nominal event is the object of a light or trigger verb: its subject acts
    head = tok.head
    if tok.dep_ in ("dobj", "nsubjpass", "attr", "pobj", "conj") and head is not tok:
        verb = head
        if tok.dep_ == "pobj" and head.dep_ in ("prep", "agent") and head.head is not head:
            verb = head.head
        if tok.dep_ == "conj":
            verb = None
        if verb is not None and verb.pos_ in ("VERB", "AUX"):
            if tok.dep_ == "nsubjpass":
                subj = [g for c in verb.children if c.dep_ == "agent" for g in c.children
                        if g.dep_ == "pobj"]
            else:
                subj = _subjects(verb)
            for r in _resolve(index, subj):
                if all(r.key != x.key for x in actors):
                    actors.append(r)
            for r in _resolve(index, _prep_objects(verb, preps)):
                if all(r.key != x.key for x in recipients + actors):
                    recipients.append(r)
    elif tok.dep_ in _SUBJ:
        # "Talks between A and B resumed", "The attack killed ..."
        pass
    return actors, [r for r in recipients if all(r.key != a.key for a in actors)]


def _dedupe(triggers: list[_Trigger]) -> list[_Trigger]:
    """A nominal trigger that is the object of a verb trigger of the same type is the same
    event ("signed an agreement", "launched an attack")."""
    by_head = {t.head.i: t for t in triggers}
    keep = []
    for t in triggers:
        head = t.head.head
        if t.entry.pos in ("noun", "phrase") and head is not t.head and t.head.dep_ in (
            "dobj", "nsubjpass", "pobj", "attr"
        ):
            verb = head.head if t.head.dep_ == "pobj" else head
            other = by_head.get(verb.i)
            if other is not None and other.entry.type == t.entry.type:
                continue
        keep.append(t)
    return keep


def extract_mentions(doc, index: ActorIndex, lex: Lexicon) -> list[EventMention]:
    mentions: list[EventMention] = []
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        for trig in _dedupe(find_triggers(sent, lex)):
            tok = trig.head
            nominal = tok.pos_ in ("NOUN", "PROPN")
            if nominal:
                actors, recipients = _noun_arguments(trig, index)
            else:
                actors, recipients = _verb_arguments(trig, index)
            recipients = [r for r in recipients if all(r.key != a.key for a in actors)]
            span_tokens = doc[trig.start : trig.end]
            definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these")
                           for c in tok.children)
            mentions.append(EventMention(
                type=trig.entry.type,
                mode=trig.entry.mode,
                factuality=factuality(tok, event_type=trig.entry.type),
                weight=trig.entry.weight,
                trigger_start=span_tokens.start_char,
                trigger_end=span_tokens.end_char,
                sent_start=sent.start_char,
                sent_end=sent.end_char,
                head_i=tok.i,
                depth=_depth(tok) if tok.sent.root is not tok else 0,
                nominal=nominal,
                definite=definite,
                actors=actors,
                recipients=recipients,
            ))
    return mentions
