"""The pre-aggregated pair counts (``dyad_counts``) and pair series (``dyad_days``):
kept by the writer, read by ``queries.top_dyads`` and ``queries.dyad_series`` so the
home page's top pairs and a pair's series never read every event."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from parley.fuse.dyads import dyad_pairs
from parley.fuse.reports import Party
from parley.store.schema import dyad_counts, dyad_days, fused_events, fused_participants

PairKey = tuple[str, str, str, bool]  # (a, b, factuality, background), a < b
# (a, b, day, quad, factuality, background) -> [events, score sum]
DayKey = tuple[str, str, date, int, str, bool]


class Deltas:
    """The changes a batch makes to both aggregates."""

    def __init__(self) -> None:
        self.pairs: Counter[PairKey] = Counter()
        self.days: dict[DayKey, list[float]] = {}

    def add(self, parties: Iterable[Party], factuality: str, background: bool,
            day: date | None, quad: int, score: float, sign: int = 1) -> None:
        found = event_pairs(parties)
        for a, b in found:
            self.pairs[(a, b, factuality, background)] += sign
            if day is not None:
                cell = self.days.setdefault((a, b, day, quad, factuality, background),
                                            [0, 0.0])
                cell[0] += sign
                cell[1] += sign * score


def event_pairs(parties: Iterable[Party]) -> set[tuple[str, str]]:
    """The undirected pairs of an event (``dyad_pairs``), each once, smaller key first."""
    out: set[tuple[str, str]] = set()
    for x, y in dyad_pairs(list(parties)):
        if y is not None:
            a, b = sorted((x.key, y.key))
            out.add((a, b))
    return out


_BUMP = (update(dyad_counts)
         .where(dyad_counts.c.a == bindparam("ka"), dyad_counts.c.b == bindparam("kb"),
                dyad_counts.c.factuality == bindparam("kf"),
                dyad_counts.c.background == bindparam("kg"))
         .values(events=dyad_counts.c.events + bindparam("n")))


_BUMP_DAY = (update(dyad_days)
             .where(dyad_days.c.a == bindparam("ka"), dyad_days.c.b == bindparam("kb"),
                    dyad_days.c.day == bindparam("kd"), dyad_days.c.quad == bindparam("kq"),
                    dyad_days.c.factuality == bindparam("kf"),
                    dyad_days.c.background == bindparam("kg"))
             .values(events=dyad_days.c.events + bindparam("n"),
                     score_sum=dyad_days.c.score_sum + bindparam("s")))


def apply_all(conn: Connection, deltas: Deltas) -> None:
    apply(conn, deltas.pairs)
    changes = {k: v for k, v in deltas.days.items() if v[0] or abs(v[1]) > 1e-9}
    if not changes:
        return
    dd = dyad_days.c
    firsts = sorted({k[0] for k in changes})
    present: set[DayKey] = set()
    for i in range(0, len(firsts), 500):
        rows = conn.execute(select(dd.a, dd.b, dd.day, dd.quad, dd.factuality,
                                   dd.background).where(dd.a.in_(firsts[i:i + 500])))
        present.update(k for k in ((a, b, d, int(q), f, bool(g)) for a, b, d, q, f, g in rows)
                       if k in changes)
    updates = [{"ka": a, "kb": b, "kd": d, "kq": q, "kf": f, "kg": g, "n": int(v[0]),
                "s": v[1]} for (a, b, d, q, f, g), v in changes.items()
               if (a, b, d, q, f, g) in present]
    inserts = [{"a": a, "b": b, "day": d, "quad": q, "factuality": f, "background": g,
                "events": int(v[0]), "score_sum": v[1]}
               for (a, b, d, q, f, g), v in changes.items() if (a, b, d, q, f, g) not in present]
    if updates:
        conn.execute(_BUMP_DAY, updates)
    if inserts:
        conn.execute(insert(dyad_days), inserts)
    conn.execute(delete(dyad_days).where(dyad_days.c.events <= 0))


def apply(conn: Connection, delta: Counter[PairKey]) -> None:
    """Add ``delta`` to the stored counts (inside the writer's transaction): one read
    of the rows concerned, then one executemany of updates and one of inserts."""
    changes = {k: n for k, n in delta.items() if n}
    if not changes:
        return
    dc = dyad_counts.c
    firsts = sorted({a for a, _, _, _ in changes})
    present: set[PairKey] = set()
    for i in range(0, len(firsts), 500):
        rows = conn.execute(select(dc.a, dc.b, dc.factuality, dc.background)
                            .where(dc.a.in_(firsts[i:i + 500])))
        present.update((a, b, f, bool(g)) for a, b, f, g in rows
                       if (a, b, f, bool(g)) in changes)
    updates = [{"ka": a, "kb": b, "kf": f, "kg": g, "n": n}
               for (a, b, f, g), n in sorted(changes.items()) if (a, b, f, g) in present]
    inserts = [{"a": a, "b": b, "factuality": f, "background": g, "events": n}
               for (a, b, f, g), n in sorted(changes.items()) if (a, b, f, g) not in present]
    if updates:
        conn.execute(_BUMP, updates)
    if inserts:
        conn.execute(insert(dyad_counts), inserts)
    conn.execute(delete(dyad_counts).where(dyad_counts.c.events <= 0))


def rebuild_pair_counts(conn: Connection) -> None:
    """Recount every pair from the stored fused events (a migration; a repair)."""
    from parley.knowledge import plover_table

    table = plover_table()
    conn.execute(delete(dyad_counts))
    conn.execute(delete(dyad_days))
    fp, fe = fused_participants.c, fused_events.c
    rows = conn.execute(select(fp.fused_event_id, fp.key, fp.name, fp.country, fp.kind,
                               fp.role, fe.factuality, fe.background, fe.ref_date,
                               fe.type, fe.mode)
                        .join(fused_events, fe.id == fp.fused_event_id)
                        .order_by(fp.fused_event_id, fp.position))
    deltas = Deltas()
    current: int | None = None
    parties: list[Party] = []
    head: tuple = ()
    for r in rows:
        if r.fused_event_id != current:
            if parties:
                deltas.add(parties, *head)
            current, parties = r.fused_event_id, []
            head = (r.factuality, bool(r.background), r.ref_date, table.quad(r.type),
                    table.score(r.type, r.mode))
        parties.append(Party(key=r.key, name=r.name, country=r.country, kind=r.kind,
                             role=r.role))
    if parties:
        deltas.add(parties, *head)
    apply_all(conn, deltas)
