"""Arguments: the participants of a trigger, read off the dependency parse.

Subjects (with coordination, passive agents, control verbs and relative clauses),
objects, and the prepositions that mark recipients per type ("sanctions on", "attack
against", "aid to", "talks with/between"); for nominal events, possessives and
adjectives ("Russia's attack", "Russian airstrikes") and the subject of the light verb
that carries them ("X held talks").
"""

from __future__ import annotations

from typing import Any

from parley.actors.resolve import Resolver
from parley.knowledge import Knowledge
from parley.model import ActorRef, Trigger

_SUBJ = ("nsubj", "csubj")


def accused(tok: Any, cues: Any) -> list | None:
    """"accused Russia of shelling": the accused (Russia) is the actor of the shelling."""
    if tok.dep_ not in ("pobj", "pcomp") or tok.head.dep_ != "prep":
        return None
    if tok.head.lower_ not in cues.accused_prepositions:
        return None
    verb = tok.head.head
    if verb.lemma_.lower() not in cues.accusing_verbs:
        return None
    objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    return objs or None


def subjects(tok: Any, cues: Any) -> list:
    """Subject tokens of a predicate, following passives, control and coordination."""
    acc = accused(tok, cues)
    if acc:
        return acc
    subs = [c for c in tok.children if c.dep_ in _SUBJ]
    if subs:
        return subs
    agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if agent:
        return agent
    head = tok.head
    if tok.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acomp") and head.i != tok.i:
        # "is willing to withdraw": withdraw -> willing -> is (whose subject acts)
        if tok.dep_ == "conj" or head.pos_ in ("VERB", "AUX", "ADJ"):
            return subjects(head, cues)
    if tok.dep_ == "pcomp" and head.head.i != head.i:  # "by attacking": the verb's subject
        return subjects(head.head, cues)
    if tok.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN", "PRON"):
        return [head]
    return []


def _passive_patients(tok: Any) -> list:
    return [c for c in tok.children if c.dep_ == "nsubjpass"]


def prep_objects(tok: Any, preps: frozenset[str]) -> list:
    out: list[Any] = []
    for child in tok.children:
        if child.dep_ in ("prep", "dative") and child.lower_ in preps:
            out.extend(g for g in child.children if g.dep_ == "pobj")
    return out


def resolve_all(resolver: Resolver, tokens: list) -> list[ActorRef]:
    refs: list[ActorRef] = []
    for t in tokens:
        for r in resolver.refs_for(t):
            if all(r.key != x.key for x in refs):
                refs.append(r)
    return refs


def _add(target: list[ActorRef], refs: list[ActorRef], actors: list[ActorRef]) -> None:
    for r in refs:
        if all(r.key != x.key for x in target + actors):
            target.append(r)


def verb_arguments(trig: Trigger, doc: Any, resolver: Resolver, k: Knowledge
                   ) -> tuple[list[ActorRef], list[ActorRef]]:
    tok, etype = doc[trig.head_i], trig.type
    cues = k.cues.arguments
    info = k.plover.types[etype]
    preps = info.recipient_prepositions
    obj_preps = preps | cues.object_prepositions
    patients = _passive_patients(tok)
    if patients:  # "sanctions were imposed on X by Y", "X was attacked by Y"
        actors = resolve_all(resolver, [g for c in tok.children if c.dep_ == "agent"
                                        for g in c.children if g.dep_ == "pobj"])
        recipients = resolve_all(resolver, patients)
    else:
        actors = resolve_all(resolver, subjects(tok, cues))
        objs = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
        recipients = resolve_all(resolver, objs)
        # the object of an object: "urged X to withdraw" (X), "accused X of ..." (X)
        if not recipients:
            recipients = resolve_all(resolver, [g for o in objs for g in o.children
                                                if g.dep_ == "poss"])

    _add(recipients, resolve_all(resolver, prep_objects(tok, preps)), actors)
    # "continued military aid to Mozambique": the object noun's own recipients
    for child in tok.children:
        if child.dep_ == "dobj" and child.pos_ == "NOUN":
            _add(recipients, resolve_all(resolver, prep_objects(child, obj_preps)), actors)
    for child in tok.children:
        # "demanded that the US cancel ...": the subject of the demanded clause
        if child.dep_ == "ccomp" and info.clause_recipient:
            _add(recipients, resolve_all(resolver, [c for c in child.children
                                                     if c.dep_ in ("nsubj", "nsubjpass")]),
                 actors)
        # "agreed to provide aid for Romania and Poland", "offered troops to Lebanon"
        if child.dep_ in ("xcomp", "ccomp"):
            _add(recipients, resolve_all(resolver, [c for c in child.children
                                                     if c.dep_ in ("dobj", "dative")]), actors)
            _add(recipients, resolve_all(resolver, prep_objects(child, obj_preps)), actors)
            for obj in child.children:
                if obj.dep_ == "dobj" and obj.pos_ == "NOUN":
                    _add(recipients, resolve_all(resolver, prep_objects(obj, obj_preps)),
                         actors)
    # a visit: "arrived in Amman", "travelled to Beijing" (capitals stand for governments)
    if etype == "CONSULT":
        for pobj in prep_objects(tok, cues.visit_prepositions):
            hit = resolver.mention_at(pobj.i)
            entity = k.kb.entities.get(hit.entity) if hit is not None and hit.entity else None
            if hit is not None and hit.how in ("capital", "name") and entity is not None \
                    and entity.kind == "country":
                _add(recipients, resolver.refs_for(pobj), actors)
    return actors, recipients


def noun_arguments(trig: Trigger, doc: Any, resolver: Resolver, k: Knowledge
                   ) -> tuple[list[ActorRef], list[ActorRef]]:
    tok, etype = doc[trig.head_i], trig.type
    cues = k.cues.arguments
    preps = k.plover.types[etype].recipient_prepositions
    actors: list[ActorRef] = []
    recipients: list[ActorRef] = []
    # "Russia's attack", "Russian airstrikes", "US-China talks", "talks by X"
    mods = [c for c in tok.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
    actors += resolve_all(resolver, mods)
    actors += [r for r in resolve_all(resolver, prep_objects(tok, cues.noun_actor_prepositions))
               if all(r.key != x.key for x in actors)]
    recipients += resolve_all(resolver, prep_objects(tok, preps))
    # the nominal event is the object of a light or trigger verb: its subject acts
    head = tok.head
    acc = accused(tok, cues)
    if acc:
        actors += [r for r in resolve_all(resolver, acc) if all(r.key != x.key for x in actors)]
    elif tok.dep_ in ("dobj", "nsubjpass", "attr", "pobj", "conj") and head.i != tok.i:
        verb = head
        if tok.dep_ == "pobj" and head.dep_ in ("prep", "agent") and head.head.i != head.i:
            verb = head.head
        if tok.dep_ == "conj":
            verb = None
        if verb is not None and verb.pos_ in ("VERB", "AUX"):
            if tok.dep_ == "nsubjpass":
                subj = [g for c in verb.children if c.dep_ == "agent" for g in c.children
                        if g.dep_ == "pobj"]
            else:
                subj = subjects(verb, cues)
            for r in resolve_all(resolver, subj):
                if all(r.key != x.key for x in actors):
                    actors.append(r)
            for r in resolve_all(resolver, prep_objects(verb, preps)):
                if all(r.key != x.key for x in recipients + actors):
                    recipients.append(r)
    # "Talks between A and B resumed", "The attack killed ...": nothing more to read
    return actors, [r for r in recipients if all(r.key != a.key for a in actors)]
