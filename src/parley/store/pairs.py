"""The pre-aggregated pair counts (``dyad_counts``): kept by the writer, read by
``queries.top_dyads`` so the home page's top pairs never read every event."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from parley.fuse.dyads import dyad_pairs
from parley.fuse.reports import Party
from parley.store.schema import dyad_counts, fused_events, fused_participants

PairKey = tuple[str, str, str, bool]  # (a, b, factuality, background), a < b


def event_pairs(parties: Iterable[Party]) -> set[tuple[str, str]]:
    """The undirected pairs of an event (``dyad_pairs``), each once, smaller key first."""
    out: set[tuple[str, str]] = set()
    for x, y in dyad_pairs(list(parties)):
        if y is not None:
            a, b = sorted((x.key, y.key))
            out.add((a, b))
    return out


def pair_delta(parties: Iterable[Party], factuality: str, background: bool,
               sign: int = 1) -> Counter[PairKey]:
    return Counter({(a, b, factuality, background): sign
                    for a, b in event_pairs(parties)})


_BUMP = (update(dyad_counts)
         .where(dyad_counts.c.a == bindparam("ka"), dyad_counts.c.b == bindparam("kb"),
                dyad_counts.c.factuality == bindparam("kf"),
                dyad_counts.c.background == bindparam("kg"))
         .values(events=dyad_counts.c.events + bindparam("n")))


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
    conn.execute(delete(dyad_counts))
    fp, fe = fused_participants.c, fused_events.c
    rows = conn.execute(select(fp.fused_event_id, fp.key, fp.name, fp.country, fp.kind,
                               fp.role, fe.factuality, fe.background)
                        .join(fused_events, fe.id == fp.fused_event_id)
                        .order_by(fp.fused_event_id, fp.position))
    total: Counter[PairKey] = Counter()
    current: int | None = None
    parties: list[Party] = []
    head: tuple[str, bool] = ("", False)
    for r in rows:
        if r.fused_event_id != current:
            if parties:
                total.update(pair_delta(parties, *head))
            current, parties = r.fused_event_id, []
            head = (r.factuality, bool(r.background))
        parties.append(Party(key=r.key, name=r.name, country=r.country, kind=r.kind,
                             role=r.role))
    if parties:
        total.update(pair_delta(parties, *head))
    if total:
        conn.execute(insert(dyad_counts), [
            {"a": a, "b": b, "factuality": f, "background": g, "events": n}
            for (a, b, f, g), n in sorted(total.items())])
