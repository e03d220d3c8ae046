"""The pre-aggregated pair counts (``dyad_counts``) and pair series (``dyad_days``):
kept by the writer, read by ``queries.top_dyads`` and ``queries.dyad_series`` so the
home page's top pairs and a pair's series never read every event."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Connection, Table, bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

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


def _upsert(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Add each row's counts to the stored row with its key, or insert it: one
    executemany of ``INSERT ... ON CONFLICT DO UPDATE`` (SQLite and PostgreSQL), so
    no stored row is read."""
    if not rows:
        return
    make = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    stmt = make(table)
    counted = [c for c in ("events", "score_sum") if c in table.c]
    stmt = stmt.on_conflict_do_update(
        index_elements=list(table.primary_key.columns),
        set_={c: table.c[c] + stmt.excluded[c] for c in counted})
    conn.execute(stmt, rows)


def _drop_empty(conn: Connection, table: Table, keys: list[dict]) -> None:
    """Delete the rows of ``keys`` (primary-key values) whose count fell to zero: a
    probe each, never a scan of the table."""
    if keys:
        stmt = delete(table).where(
            *(col == bindparam(f"k_{col.name}") for col in table.primary_key.columns),
            table.c.events <= 0)
        conn.execute(stmt, [{f"k_{k}": v for k, v in key.items()} for key in keys])


def apply_all(conn: Connection, deltas: Deltas) -> None:
    """Add a batch's changes to both aggregates (inside the writer's transaction)."""
    apply(conn, deltas.pairs)
    changes = {k: v for k, v in deltas.days.items() if v[0] or abs(v[1]) > 1e-9}
    rows: list[dict] = [{"a": a, "b": b, "day": d, "quad": q, "factuality": f,
                         "background": g, "events": int(v[0]), "score_sum": v[1]}
            for (a, b, d, q, f, g), v in sorted(changes.items())]
    _upsert(conn, dyad_days, rows)
    _drop_empty(conn, dyad_days, [{k: r[k] for k in _DAY_KEY} for r in rows
                                  if r["events"] <= 0])


_DAY_KEY = ("a", "b", "day", "quad", "factuality", "background")


def apply(conn: Connection, delta: Counter[PairKey]) -> None:
    """Add ``delta`` to the stored pair counts (inside the writer's transaction)."""
    changes = {k: n for k, n in delta.items() if n}
    rows: list[dict] = [{"a": a, "b": b, "factuality": f, "background": g, "events": n}
            for (a, b, f, g), n in sorted(changes.items())]
    _upsert(conn, dyad_counts, rows)
    _drop_empty(conn, dyad_counts, [{"a": r["a"], "b": r["b"], "factuality": r["factuality"],
                                     "background": r["background"]}
                                    for r in rows if r["events"] <= 0])


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
