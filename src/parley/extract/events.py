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
    "ASSAULT": frozenset({"on", "against", "at"}),
}
# Verbs that carry a nominal event: "held talks", "launched airstrikes", "imposed sanctions".
LIGHT_VERBS = frozenset({
    "hold", "launch", "carry", "conduct", "stage", "impose", "announce", "begin", "host",
    "attend", "join", "sign", "reach", "make", "give", "provide", "send", "issue", "mount",
    "deliver", "offer", "extend", "take", "have", "start", "resume", "open", "organize",
    "organise", "lead", "level", "file", "lodge", "unleash", "step", "intensify", "continue",
    "order", "approve", "kill", "wage", "commit", "perpetrate", "undertake", "pay",
    "stag",  # the small model lemmatises "staged" as "stag"
})
_SUBJ = ("nsubj", "csubj")
_OBJ_PREPS = frozenset({"to", "for", "with", "against", "on", "from"})
# Types whose demanded/claimed clause names the recipient: "demanded that Y ...".
_CLAUSE_RECIPIENT = frozenset({"REQUEST", "ACCUSE", "REJECT", "SUPPORT"})


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
    subordinate: bool = False

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


def _trigger_depth(tok) -> int:
    """Distance from the clause root; a nominal event carried by a light verb ("staged
    demonstrations", "launched airstrikes") sits where its verb sits."""
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "nsubjpass") and (
        tok.head.lemma_.lower() in LIGHT_VERBS
    ):
        return _depth(tok.head)
    return _depth(tok)


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


# Words a phrase may step over when they modify the word that follows: "called off a
# four-day strike" matches "call off strike", "lifted the night curfew" "lift curfew".
_SKIPPABLE = frozenset({"det", "amod", "nummod", "compound", "poss", "punct", "quantmod",
                        "nmod", "advmod", "npadvmod"})
_MAX_SKIP = 4


def _match_phrase(tokens, lemmas, k, phrase):
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


def find_triggers(sent, lex: Lexicon) -> list[_Trigger]:
    found: list[_Trigger] = []
    used: set[int] = set()
    tokens = list(sent)
    lemmas = [t.lemma_.lower() for t in tokens]
    # phrases first: the longer, more specific reading wins
    for k in range(len(tokens)):
        for entry in lex.phrases.get(lemmas[k], ()):
            span = _match_phrase(tokens, lemmas, k, entry.lemmas)
            if span is None:
                continue
            if any(t.i in used for t in span) or any(f.head.i in {t.i for t in span}
                                                      for f in found):
                continue
            head = min(span, key=_depth)
            if not _objects_ok(entry, head) and entry.objects:
                continue
            found.append(_Trigger(entry, head, span[0].i, span[-1].i + 1))
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


_ACCUSING = frozenset({"accuse", "blame", "charge", "suspect", "convict", "condemn", "criticize",
                       "criticise", "indict", "sentence", "denounce", "fault"})


def _accused(tok):
    """"accused Russia of shelling": the accused (Russia) is the actor of the shelling."""
    if tok.dep_ not in ("pobj", "pcomp") or tok.head.dep_ != "prep":
        return None
    if tok.head.lower_ not in ("of", "for", "over"):
        return None
    verb = tok.head.head
    if verb.lemma_.lower() not in _ACCUSING:
        return None
    objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    return objs or None


def _subjects(tok):
    """Subject tokens of a predicate, following passives, control and coordination."""
    accused = _accused(tok)
    if accused:
        return accused
    subs = [c for c in tok.children if c.dep_ in _SUBJ]
    if subs:
        return subs
    agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if agent:
        return agent
    head = tok.head
    if tok.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acomp") and head is not tok:
        # "is willing to withdraw": withdraw -> willing -> is (whose subject acts)
        if tok.dep_ == "conj" or head.pos_ in ("VERB", "AUX", "ADJ"):
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
    def add(refs: list[Ref]) -> None:
        for r in refs:
            if all(r.key != x.key for x in recipients + actors):
                recipients.append(r)

    add(_resolve(index, _prep_objects(tok, preps)))
    # "continued military aid to Mozambique": the object noun's own recipients
    for child in tok.children:
        if child.dep_ == "dobj" and child.pos_ == "NOUN":
            add(_resolve(index, _prep_objects(child, preps | _OBJ_PREPS)))
    for child in tok.children:
        # "demanded that the US cancel ...": the subject of the demanded clause
        if child.dep_ == "ccomp" and etype in _CLAUSE_RECIPIENT:
            add(_resolve(index, [c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")]))
        # "agreed to provide aid for Romania and Poland", "offered troops to Lebanon"
        if child.dep_ in ("xcomp", "ccomp"):
            add(_resolve(index, [c for c in child.children if c.dep_ in ("dobj", "dative")]))
            add(_resolve(index, _prep_objects(child, preps | _OBJ_PREPS)))
            for obj in child.children:
                if obj.dep_ == "dobj" and obj.pos_ == "NOUN":
                    add(_resolve(index, _prep_objects(obj, preps | _OBJ_PREPS)))
    # a visit: "arrived in Amman", "travelled to Beijing" (capitals stand for governments)
    if etype == "CONSULT":
        for pobj in _prep_objects(tok, frozenset({"in", "to"})):
            hit = index.by_token.get(pobj.i)
            if hit is not None and hit.how in ("capital", "name") and hit.entity is not None \
                    and hit.entity.kind == "country":
                add(index.refs_for(pobj))
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
    accused = _accused(tok)
    if accused:
        actors += [r for r in _resolve(index, accused) if all(r.key != x.key for x in actors)]
    elif tok.dep_ in ("dobj", "nsubjpass", "attr", "pobj", "conj") and head is not tok:
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
    """A nominal trigger that is the object of a verb trigger is either the same event
    ("signed an agreement", "launched an attack") or what that event acts upon ("lifted
    the curfew", "rejected talks"). The same type: one event. Another type: the noun
    event stands only if the verb makes it non-factual ("rejected talks": negated
    talks); "lifted the curfew" is a concession, not a second, asserted curfew."""
    by_head = {t.head.i: t for t in triggers}
    keep = []
    for t in triggers:
        head = t.head.head
        if t.head.pos_ in ("NOUN", "PROPN") and head is not t.head and t.head.dep_ in (
            "dobj", "nsubjpass", "pobj", "attr"
        ):
            verb = head.head if t.head.dep_ == "pobj" else head
            other = by_head.get(verb.i)
            if other is not None and other is not t and (
                other.entry.type == t.entry.type
                or factuality(t.head, event_type=t.entry.type) == "asserted"
            ):
                continue
        keep.append(t)
    return keep


COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
CONFLICTUAL = frozenset({"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "REJECT"})
_WILL = frozenset({"will", "would", "'ll", "shall", "wo"})
_INTENT_VERBS = frozenset({"plan", "intend", "decide", "vow", "pledge", "promise", "offer",
                           "prepare", "swear", "resolve", "commit", "seek", "aim", "want"})
_REFUSALS = frozenset({"refuse", "fail", "decline"})
_INTENT_ADJS = frozenset({"willing", "ready", "prepared", "determined", "eager", "keen"})
_SPEECH = frozenset({"say", "tell", "declare", "announce", "insist", "state", "reiterate",
                     "stress", "add", "warn", "conclude", "write", "argue", "demand"})


def _intent_marker(tok):
    """The word by which the subject states an intention to act: "will", "ready to",
    "offered to", "plans to". Returns (marker token, negated) or None."""
    neg = any(c.dep_ == "neg" for c in tok.children)
    for c in tok.children:
        if c.dep_ == "aux" and c.lower_ in _WILL:
            return c, neg
    node = tok
    for _ in range(2):
        if node.dep_ != "xcomp" or node.head is node:
            break
        head = node.head
        hneg = neg or any(c.dep_ == "neg" for c in head.children)
        if head.lemma_.lower() in _INTENT_VERBS or head.lower_ in _INTENT_ADJS:
            return head, hneg
        if head.lemma_.lower() in _REFUSALS:
            return head, True
        node = head
    return None


def _must(tok):
    return next((c for c in tok.children if c.dep_ == "aux" and c.lower_ in ("must", "should")
                 and tok.dep_ == "ccomp"), None)


def _speaker(tok):
    """Subject of the speech verb that reports the clause of ``tok`` ("X said Y must ...")."""
    node = tok
    for _ in range(3):
        if node.head is node:
            return []
        if node.dep_ in ("ccomp", "conj", "xcomp") and node.head.lemma_.lower() in _SPEECH:
            return _subjects(node.head)
        node = node.head
    return []


def _derived(m: EventMention, tok, doc, index: ActorIndex) -> EventMention | None:
    """PLOVER codes a stated intention as its own event: an intent to cooperate is AGREE,
    an intent to act against someone is THREATEN, a refusal to cooperate is REJECT, and
    "Y must do X" said by Z is a REQUEST from Z to Y."""
    if m.factuality not in ("planned", "hypothetical", "negated"):
        return None
    if m.nominal and tok.dep_ in ("dobj", "nsubjpass", "attr") and tok.head.pos_ == "VERB":
        tok = tok.head  # "will extend the curfew": the verb carries the intent
    must = _must(tok)
    if must is not None:
        speaker = _resolve(index, _speaker(tok))
        if not speaker:
            return None
        marker, etype = must, "REQUEST"
        actors, recipients = speaker, m.actors + m.recipients
    else:
        found = _intent_marker(tok)
        if found is None:
            return None
        marker, negated = found
        unless = any(c.dep_ == "advcl" and any(g.lower_ == "unless" for g in c.children)
                     for c in tok.children)
        if unless and not negated:
            etype = "THREATEN"  # "will withdraw its force unless ...": a conditional threat
        elif m.type in COOPERATIVE:
            etype = "REJECT" if negated else "AGREE"
        elif m.type in CONFLICTUAL and not negated:
            etype = "THREATEN"
        else:
            return None
        actors, recipients = m.actors, m.recipients
    start, end = (marker.idx, tok.idx + len(tok.text)) if 0 < tok.i - marker.i <= 4 else (
        marker.idx, marker.idx + len(marker.text))
    return EventMention(
        type=etype, mode=None, factuality="asserted", weight=m.weight * 0.95,
        trigger_start=start, trigger_end=end, sent_start=m.sent_start, sent_end=m.sent_end,
        head_i=marker.i, depth=max(0, m.depth - 1), nominal=False, definite=False,
        actors=list(actors), recipients=[r for r in recipients
                                         if all(r.key != a.key for a in actors)],
    )


def _evidence_bounds(sent) -> tuple[int, int]:
    """The sentence as evidence: without the blanked boilerplate or spaces around it."""
    stripped = sent.text.rstrip()
    return sent.start_char + len(stripped) - len(stripped.lstrip()), sent.start_char + len(
        stripped)


def _demands(sent, index: ActorIndex, covered: set[int]) -> list[EventMention]:
    """"Russia said Sudan must return the helicopter": a REQUEST from the speaker to the
    subject of the "must" clause, even when the demanded act has no trigger of its own."""
    out = []
    for tok in sent:
        if tok.i in covered or tok.pos_ not in ("VERB", "AUX") or tok.dep_ != "ccomp":
            continue
        must = next((c for c in tok.children if c.dep_ == "aux" and c.lower_ == "must"), None)
        if must is None or tok.head.lemma_.lower() not in _SPEECH:
            continue
        speaker = _resolve(index, _subjects(tok.head))
        target = _resolve(index, [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")])
        if not speaker or not target:
            continue
        end = tok.idx + len(tok.text) if tok.i - must.i <= 4 else must.idx + len(must.text)
        sent_start, sent_end = _evidence_bounds(sent)
        out.append(EventMention(
            type="REQUEST", mode=None, factuality="asserted", weight=0.9,
            trigger_start=must.idx, trigger_end=end, sent_start=sent_start,
            sent_end=sent_end, head_i=must.i, depth=_depth(tok.head), nominal=False,
            definite=False, actors=speaker,
            recipients=[r for r in target if all(r.key != a.key for a in speaker)],
        ))
    return out


def extract_mentions(doc, index: ActorIndex, lex: Lexicon) -> list[EventMention]:
    mentions: list[EventMention] = []
    for sent in doc.sents:
        if not sent.text.strip():
            continue
        triggers = _dedupe(find_triggers(sent, lex))
        musts = {t.head.i for t in triggers if _must(t.head) is not None}
        mentions.extend(_demands(sent, index, musts))
        sentence_mentions: list[EventMention] = []
        sent_start, sent_end = _evidence_bounds(sent)
        for trig in triggers:
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
            mention = EventMention(
                type=trig.entry.type,
                mode=trig.entry.mode,
                factuality=factuality(tok, event_type=trig.entry.type),
                weight=trig.entry.weight,
                trigger_start=span_tokens.start_char,
                trigger_end=span_tokens.end_char,
                sent_start=sent_start,
                sent_end=sent_end,
                head_i=tok.i,
                depth=_trigger_depth(tok),
                nominal=nominal,
                definite=definite,
                actors=actors,
                recipients=recipients,
            )
            sentence_mentions.append(mention)
            derived = _derived(mention, tok, doc, index)
            if derived is not None:
                sentence_mentions.append(derived)
        _mark_subordinates(doc, sentence_mentions)
        mentions.extend(sentence_mentions)
    return mentions


def _carrier(doc, m: EventMention):
    """The token that carries an event in its clause: the light verb of a nominal."""
    tok = doc[m.head_i]
    if m.nominal and tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in LIGHT_VERBS:
        return tok.head
    return tok


def _mark_subordinates(doc, mentions: list[EventMention]) -> None:
    """An event in a purpose or complement clause of another ("staged rallies to demand
    reforms", "agreed to cooperate", "accused Y of attacking") is part of that event's
    report, not the sentence's main news: it is kept, at lower salience."""
    carriers = {_carrier(doc, m).i for m in mentions}
    for m in mentions:
        node = _carrier(doc, m)
        for _ in range(3):
            if node.dep_ not in ("advcl", "xcomp", "ccomp", "acl", "pcomp", "pobj", "prep",
                                 "relcl", "dobj") or node.head is node:
                break
            node = node.head
            if node.i in carriers and node.i != _carrier(doc, m).i:
                m.subordinate = True
                break
