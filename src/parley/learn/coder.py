"""The learned stages: argument linking (``link``) and candidate scoring (``score``).

Both run after the rule-based candidate generator (``extract``) and the date and place
stages. With no model files (``knowledge.models`` is None) they pass the candidates
through unchanged, so the rules alone still code.

* ``link``: for every candidate, the actor mentions that could take part — those the
  parse rules found, every actor named in the candidate's sentence, and role nouns
  ("gunmen", "police") — are scored as actor / recipient / participant / none; the
  candidate keeps the mentions the model assigns a role.
* ``score``: the event model gives each candidate a probability of being a real,
  codable event, the type model a probability for each PLOVER type (it may re-type an
  ambiguous trigger); the
  factuality model decides asserted / negated / hypothetical / planned / reported; the
  timing model (with the resolved date) decides background or current. Candidates
  below the keep threshold are dropped; ``score`` is the calibrated probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from parley.actors import resolver as make_resolver
from parley.extract.factuality import factuality as rule_factuality
from parley.learn import features as F
from parley.learn.models import EVENT_CLASSES, Models
from parley.model import ActorRef, Candidate, Work
from parley.resolve import is_future

# an event dated more than this many days before publication is background
BACKGROUND_DAYS = 14
# a mention is compared with at most this many earlier mentions of its type
PAIR_WINDOW = 40


def period_end(value: date, precision: str) -> date:
    """The last day of the period a date names (its day, week, month or year)."""
    if precision == "week":
        return value + timedelta(days=6)
    if precision == "month":
        nxt = date(value.year + (value.month == 12), value.month % 12 + 1, 1)
        return nxt - timedelta(days=1)
    if precision == "year":
        return date(value.year, 12, 31)
    return value


def dated_background(value: date, precision: str, pub: date, *, elapsed: bool = False
                     ) -> bool:
    """Did an event of this date happen more than ``BACKGROUND_DAYS`` before publication?
    A day, week or year counts by its last day; a month by its middle day, or the
    middle of its part before publication: "last month" in a story of April 10 is some
    day of March, most likely more than two weeks before, while "earlier this month" in
    a story of the 20th is most likely within them. A year told as already partly gone
    (``elapsed``: "earlier this year") counts like a month."""
    end = period_end(value, precision)
    if precision == "month" or (elapsed and precision == "year"):
        end = value + (min(end, pub) - value) / 2
    return (pub - end).days > BACKGROUND_DAYS


def _models(work: Work) -> Models | None:
    return getattr(work.knowledge, "models", None)


def _head_token(doc: Any, ref: ActorRef) -> Any:
    span = doc.char_span(ref.start, ref.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def link_candidates(work: Work, cand: Candidate, res: Any, ctx: F.DocContext
                    ) -> list[tuple[ActorRef, Any, str | None]]:
    """(ref, head token, rule role) for every mention that could take part in ``cand``."""
    doc = work.doc
    out: dict[str, tuple[ActorRef, Any, str | None]] = {}
    for role, refs in (("actor", cand.actors), ("recipient", cand.recipients)):
        for r in refs:
            out.setdefault(r.key, (r, _head_token(doc, r), role))
    k = ctx.sent_of_token[cand.head_i]
    sent = ctx.sentences[k]
    table = work.actors
    if table is not None:
        for n, m in enumerate(table.mentions):
            if not sent.start <= m.start_tok < sent.end:
                continue
            e = work.knowledge.kb.entities.get(m.entity) if m.entity else None
            if e is not None and e.kind == "country" and m.how == "adjective":
                continue  # "Russian" is a modifier: its noun is the actor
            ref = res.ref_of(n)
            if ref is not None and ref.key not in out:
                out[ref.key] = (ref, doc[m.end_tok - 1], None)
    for tok in sent:
        if tok.pos_ not in ("NOUN", "PROPN") or tok.i in (table.by_token if table else {}):
            continue
        if res.role_sector(tok) is None:
            continue
        for ref in res.refs_for(tok) or res.role_refs(tok):
            if ref.key not in out:
                out[ref.key] = (ref, tok, None)
    return list(out.values())


class Link:
    name = "link"
    requires: tuple[str, ...] = ("doc", "actors", "candidates")
    assigns: tuple[str, ...] = ("links",)

    def __call__(self, work: Work) -> Work:
        models = _models(work)
        cands = work.candidates or ()
        if models is None or not cands:
            return work
        doc, k = work.doc, work.knowledge
        ctx = F.doc_context(work, cands)
        res = make_resolver(work)
        rows: list[list[float]] = []
        owners: list[tuple[int, ActorRef]] = []
        for i, c in enumerate(cands):
            options = link_candidates(work, c, res, ctx)
            info = k.plover.types[c.type]
            countries = [r.country for r, _, _ in options]
            n_sent = len(options)
            for ref, head, rule in options:
                rows.append(F.link_features(ctx, c, ref, head, rule_role=rule,
                                            symmetric=info.symmetric,
                                            preps=info.recipient_prepositions,
                                            n_in_sentence=n_sent, countries=countries))
                owners.append((i, ref))
        if not rows:
            return work
        proba = models.link.proba(np.asarray(rows))
        actors: list[list[ActorRef]] = [[] for _ in cands]
        recipients: list[list[ActorRef]] = [[] for _ in cands]
        for (i, ref), p in zip(owners, proba, strict=True):
            role = F.LINK_ROLES[int(np.argmax(p))]
            if role in ("actor", "participant"):
                actors[i].append(ref)
            elif role == "recipient":
                recipients[i].append(ref)
        out = [replace(c, actors=tuple(actors[i]), recipients=tuple(recipients[i]))
               for i, c in enumerate(cands)]
        del doc
        return replace(work, candidates=tuple(out))


def _will(tok: Any, modals: Sequence[str]) -> bool:
    """Is the trigger's own verb future ("will support", "shall meet") and not negated?
    The factuality model, trained on few such triggers, calls some of them asserted."""
    return any(c.dep_ == "aux" and c.lower_ in modals for c in tok.children) and not any(
        c.dep_ == "neg" for c in tok.children)


def _claimed(tok: Any, event_type: str, cues: Any) -> bool:
    """Is the event told as a claim: the nearest factuality marker of the rules says
    reported, and it is a hedging adverb ("had reportedly offered", "allegedly") or a
    claiming verb ("claimed its fighters had attacked"; ``claim_verbs`` in
    ``cues.yaml``) on the trigger or above it? The factuality model calls some such
    events asserted; "accused X of" and "blamed" it reads as the annotators do."""
    if rule_factuality(tok, cues, event_type=event_type) != "reported":
        return False
    return any(x.lower_ in cues.reported_adverbs or x.lemma_.lower() in cues.claim_verbs
               for x in (*tok.children, *tok.ancestors))


class Score:
    name = "score"
    requires: tuple[str, ...] = ("candidates", "dates", "places", "links")
    assigns: tuple[str, ...] = ("scores",)

    def __call__(self, work: Work) -> Work:
        models = _models(work)
        cands = work.candidates or ()
        if models is None or not cands:
            return work
        ctx = F.doc_context(work, cands)
        stats, cues = models.stats, work.knowledge.cues
        rows = np.asarray([F.event_features(ctx, c, stats) for c in cands])
        p_real = models.event.proba(rows)[:, 1]
        p_type = models.etype.proba(rows)
        kept: list[Candidate] = []
        for c, real, types in zip(cands, p_real, p_type, strict=True):
            if real < models.keep:
                continue
            best = int(np.argmax(types))
            kept.append(replace(c, type=EVENT_CLASSES[best],
                                score=float(real) * float(types[best])))
        if not kept:
            return replace(work, candidates=())
        ctx = F.doc_context(work, tuple(kept))
        fact = models.fact.proba(np.asarray(
            [F.factuality_features(ctx, c, stats, cues) for c in kept]))
        timing = models.timing.proba(np.asarray(
            [F.timing_features(ctx, c, stats) for c in kept]))
        pub, doc, fcues = work.published, work.doc, cues.factuality
        out = []
        for c, pf, pt in zip(kept, fact, timing, strict=True):
            tok = doc[c.head_i] if doc is not None else None
            factuality = F.FACTS[int(np.argmax(pf))]
            background = bool(pt[1] >= 0.5)
            if c.date is not None and pub is not None:
                # a resolved date decides ("on May 3", "last month", "in 2019")
                said = work.article.text[c.date.start:c.date.end].lower()
                background = dated_background(
                    c.date.value, c.date.precision, pub,
                    elapsed=any(p in said for p in cues.dates.elapsed_year))
            date = c.date
            if factuality == "asserted" and date is not None and pub is not None and (
                    date.value > pub or (date.value == pub and tok is not None
                                         and is_future(tok, work.knowledge))):
                # an event after publication cannot have happened: told on a day after it,
                # or told to come on the day of publication ("is expected to meet on
                # Thursday" in a Thursday story), it is planned; a week, month or year
                # that begins after publication ("in July 2023" in a 2021 story) is
                # another event's time, not this one's
                if date.precision == "day":
                    factuality = "planned"
                else:
                    date = None
            if factuality == "asserted" and tok is not None:
                if _will(tok, fcues.planned_modals):
                    factuality = "planned"  # "Portugal will support Turkey's bid"
                elif _claimed(tok, c.type, fcues):
                    factuality = "reported"  # "claimed its fighters had attacked"
            score = float(models.calibration(np.asarray([c.score or 0.0]))[0])
            out.append(replace(c, factuality=factuality, background=background, score=score,
                               date=date))
        return replace(work, candidates=tuple(out))




def same_type_pairs(cands: Sequence[Candidate], plover: Any) -> list[tuple[int, int, int]]:
    """(earlier, later, same-type mentions between them) for every pair of one type whose
    factualities can report one event."""
    by_type: dict[str, list[int]] = {}
    for i, c in enumerate(cands):
        by_type.setdefault(c.type, []).append(i)
    out = []
    for idx in by_type.values():
        for y in range(len(idx)):
            # the nearest PAIR_WINDOW earlier mentions of the type: a news article has
            # fewer, and a huge text stays linear in its length
            for x in range(max(0, y - PAIR_WINDOW), y):
                a, b = cands[idx[x]], cands[idx[y]]
                if plover.compatible_factuality(a.factuality, b.factuality):
                    out.append((idx[x], idx[y], y - x - 1))
    return out


def pair_rows(work: Work, cands: Sequence[Candidate], shared: Any
              ) -> tuple[list[tuple[int, int]], list[list[float]]]:
    """The pair features of every candidate pair that could be one event."""
    ctx = F.doc_context(work, tuple(cands))
    pairs, rows = [], []
    for i, j, between in same_type_pairs(cands, work.knowledge.plover):
        a, b = cands[i], cands[j]
        rows.append(F.pair_features(ctx, a, b, shared(a, b), between))
        pairs.append((i, j))
    return pairs, rows


def _apart(a: Candidate, b: Candidate) -> bool:
    """Two mentions that cannot be one event whatever the pair model says (the guide's
    rule): each names countries and they share none, or both are dated to different
    days and placed in different places."""
    ca, cb = F.countries_of(a), F.countries_of(b)
    if ca and cb and not ca & cb:
        return True
    return bool(a.date is not None and b.date is not None and a.date.precision == "day"
                and b.date.precision == "day" and a.date.value != b.date.value
                and a.place is not None and b.place is not None
                and a.place.name != b.place.name)


def _interval_clauses(work: Work, cands: Sequence[Candidate]) -> list[int | None]:
    """For each mention, the verb of the interval clause it is told in ("a day after
    officers fired ..."; ``resolve.interval_clause``), else None."""
    from parley.resolve import interval_clause

    if work.doc is None:
        return [None] * len(cands)
    out: list[int | None] = []
    for c in cands:
        found = interval_clause(work, c)
        out.append(found[0].i if found else None)
    return out


def _set_off(a: Candidate, b: Candidate, clause: Sequence[int | None],
             pair: tuple[int, int]) -> bool:
    """Two mentions of one sentence that an interval sets apart: "banned the paper on
    Tuesday, a day after police arrested two lawmakers" tells two events, on two days."""
    i, j = pair
    return a.sent_start == b.sent_start and clause[i] != clause[j]


def learned_clusters(work: Work, cands: Sequence[Candidate], models: Models,
                     shared: Any) -> list[list[int]]:
    """Mentions grouped into events by the pair model: in text order, each mention joins
    the earlier event whose mentions it most probably shares (if that reaches the
    ``same_event`` threshold), else starts one."""
    pairs, rows = pair_rows(work, cands, shared)
    p_same: dict[tuple[int, int], float] = {}
    if rows:
        proba = models.pair.proba(np.asarray(rows))[:, 1]
        clause = _interval_clauses(work, cands)
        p_same = {pair: float(p) for pair, p in zip(pairs, proba, strict=True)
                  if not _apart(cands[pair[0]], cands[pair[1]])
                  and not _set_off(cands[pair[0]], cands[pair[1]], clause, pair)}
    # the earlier mentions each mention was paired with (a window of them, so the
    # grouping stays linear in a huge text's length)
    partners: dict[int, list[tuple[int, float]]] = {}
    for (i, j), p in p_same.items():
        partners.setdefault(j, []).append((i, p))
    cluster_of: dict[int, int] = {}
    clusters: list[list[int]] = []
    for j in range(len(cands)):
        # each event's best pair with this mention; the most probable event wins, the
        # latest of equals
        by_cluster: dict[int, float] = {}
        for i, p in partners.get(j, ()):
            k = cluster_of[i]
            if p > by_cluster.get(k, -1.0):
                by_cluster[k] = p
        best, best_p = None, models.same_event
        for k in sorted(by_cluster):
            if by_cluster[k] >= best_p:
                best, best_p = k, by_cluster[k]
        if best is None:
            cluster_of[j] = len(clusters)
            clusters.append([j])
        else:
            cluster_of[j] = best
            clusters[best].append(j)
    return clusters


__all__ = ["BACKGROUND_DAYS", "Link", "Score", "learned_clusters", "link_candidates",
           "pair_rows"]
