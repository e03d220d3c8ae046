"""Salience: is a candidate the sentence's news, or part of another event's report?

An event in a purpose or complement clause of another ("staged rallies to demand
reforms", "agreed to cooperate", "accused Y of attacking") is part of that event's
report, not the sentence's main news: it is kept, marked ``subordinate``, and scores
lower confidence.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from parley.model import Candidate

_CLAUSE_LINKS = frozenset({"advcl", "xcomp", "ccomp", "acl", "pcomp", "pobj", "prep", "relcl",
                           "dobj"})


def carrier(doc: Any, m: Candidate, light_verbs: frozenset[str]) -> Any:
    """The token that carries an event in its clause: the light verb of a nominal."""
    tok = doc[m.head_i]
    if m.nominal and tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in light_verbs:
        return tok.head
    return tok


def mark_subordinates(doc: Any, mentions: list[Candidate], light_verbs: frozenset[str]
                      ) -> list[Candidate]:
    carriers = {carrier(doc, m, light_verbs).i for m in mentions}
    out = []
    for m in mentions:
        own = carrier(doc, m, light_verbs)
        node = own
        subordinate = m.subordinate
        for _ in range(3):
            if node.dep_ not in _CLAUSE_LINKS or node.head.i == node.i:
                break
            node = node.head
            if node.i in carriers and node.i != own.i:
                subordinate = True
                break
        out.append(replace(m, subordinate=subordinate) if subordinate != m.subordinate else m)
    return out
