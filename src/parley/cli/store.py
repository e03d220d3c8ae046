"""The store's commands: ``parley ingest``, ``events``, ``export`` and ``dyad``.

Thin views: they parse options, code with ``parley.pipeline`` (ingest), call
``parley.store.writer`` / ``parley.store.queries`` and render with
``parley.store.export``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any, cast

import click

from parley.cli.common import (
    date_option,
    db_option,
    err,
    fail,
    min_confidence_option,
    open_db,
    store_errors,
)
from parley.errors import ParleyError
from parley.model import FACTUALITIES, PLOVER_TYPES, Article, Document

# -- ingest ---------------------------------------------------------------------------

def _count_inputs(paths: list[str]) -> int | None:
    total = 0
    for p in paths:
        if p == "-":
            return None
        if p.lower().endswith((".jsonl", ".ndjson")):
            try:
                with open(p, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1
        elif p.lower().endswith(".parquet"):
            try:
                import pyarrow.parquet as pq

                total += pq.ParquetFile(p).metadata.num_rows
            except Exception:  # noqa: BLE001 - the reader reports a bad file properly
                total += 1
        else:
            total += 1
    return total


@click.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--batch-size", type=click.IntRange(min=1), default=50, show_default=True,
              help="Articles per transaction: a killed ingest keeps whole batches.")
@click.option("--published", callback=date_option,
              help="Publication date (YYYY-MM-DD) for inputs that do not carry one.")
@click.option("--window", type=click.IntRange(min=0), default=3, show_default=True,
              help="Days two reports' event dates may differ and still be one event.")
@click.option("--match", "match_on", type=click.Choice(["type", "quad"]), default="type",
              show_default=True, help="Fuse reports of the same PLOVER type, or of the "
              "same quad class (looser).")
@min_confidence_option
def ingest(paths: tuple[str, ...], db: str | None, batch_size: int, published: date | None,
           window: int, match_on: str) -> None:
    """Code reports (text, HTML, JSONL files or directories) and store them.

    Re-reading a stored report is a no-op; syndicated copies are stored but not
    counted as extra sources. Bad inputs are reported and skipped (exit code 2).
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from parley.fuse.reports import FusionRule
    from parley.ingest import discover
    from parley.knowledge import default_knowledge
    from parley.pipeline import code_batch
    from parley.store.db import display_url
    from parley.store.writer import ingest as run_ingest

    store = open_db(db, create=True)
    failed_paths = 0
    files: list[str] = []
    for item in discover(paths):
        if isinstance(item, ParleyError):
            failed_paths += 1
            err(item.one_line())
        else:
            files.append(item)
    console = Console(stderr=True)
    progress = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[note]}"), TimeElapsedColumn(),
                        console=console, transient=False)
    task = progress.add_task("ingest", total=_count_inputs(files), note="")

    def on_error(err: ParleyError) -> None:
        # through the progress console, so the line lands above the bar, unwrapped
        progress.console.print(f"parley: error: {err.one_line()}", markup=False,
                               highlight=False, soft_wrap=True)

    rule = FusionRule(window_days=window, match_on=match_on,  # type: ignore[arg-type]
                      plover=default_knowledge().plover)
    precoded: dict[int, Document] = {}
    items = _items(files, published, precoded)

    def coder(batch: list[Article]) -> list[Document | ParleyError]:
        # documents from `parley batch` Parquet are stored as coded there
        todo = [a for a in batch if id(a) not in precoded]
        fresh = iter(code_batch(todo))
        return [precoded.pop(id(a)) if id(a) in precoded else next(fresh) for a in batch]

    try:
        with store_errors(), progress:
            report = run_ingest(
                store, items, batch_size=batch_size, rule=rule, on_error=on_error,
                coder=coder, on_progress=lambda n: progress.update(task, advance=n))
    except ParleyError as exc:
        fail(exc)
    finally:
        store.close()
    click.echo(
        f"parley: stored {report.stored} articles ({report.already_stored} already stored, "
        f"{report.near_duplicates} near-duplicates, {report.failed + failed_paths} failed) "
        f"with {report.events} events: {report.fused_new} new fused events, "
        f"{report.fused_joined} joined existing ones, {report.conflicts} conflicts "
        f"-> {display_url(store.url)}", err=True)
    if report.failed or failed_paths:
        sys.exit(2)


def _items(files: list[str], published: date | None,
           precoded: dict[int, Document]) -> Iterator[Article | ParleyError]:
    """Articles to store: read and coded here, or read back from `parley batch` Parquet."""
    from parley.ingest import read_path
    from parley.scale.output import read_batch_records

    for path in files:
        if path.lower().endswith(".parquet"):
            try:
                for article, doc in read_batch_records(path):
                    precoded[id(article)] = doc
                    yield article
            except ParleyError as err:
                yield err
        else:
            yield from read_path(path, published=published)


# -- events / export / dyad -----------------------------------------------------------

@contextmanager
def _output(path: str | None) -> Iterator[IO[str]]:
    if path is None or path == "-":
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        yield fh


def _filter(actors=(), types=(), since=None, until=None, factuality=(), background=None):
    from parley.store.queries import EventFilter

    return EventFilter(actors=tuple(actors), types=tuple(t.upper() for t in types),
                       since=since, until=until, factuality=tuple(factuality),
                       background=background)


def _why(db: str | None, event_id: int, fmt: str) -> None:
    """``parley events --why ID``: the fused event and the decision behind each report."""
    import json

    from parley.store import queries

    store = open_db(db, create=False)
    try:
        with store_errors(), store.read() as conn:
            record = queries.event(conn, event_id)
            if record is None:
                err(f"there is no fused event {event_id}")
                sys.exit(1)
            decisions = queries.event_why(conn, event_id)
            found = queries.event_conflicts(conn, [event_id])[event_id]
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps({"event": record.as_dict(),
                               "decisions": [d.as_dict() for d in decisions],
                               "conflicts": found}, ensure_ascii=False, indent=1))
        return
    parts = ", ".join(f"{p.name} ({p.key})" for p in record.participants)
    click.echo(f"event {record.id}: {record.type} {record.ref_date or ''} [{parts}] "
               f"{record.source_count} sources, {record.article_count} articles")
    for d in decisions:
        copy = f" (copy of article {d.near_duplicate_of})" if d.near_duplicate_of else ""
        evidence = "; ".join(f"{k}={v}" for k, v in d.why.items() if k != "rule")
        click.echo(f"  article {d.article_id} {d.doc_id}{copy} {d.event}: "
                   f"{d.why.get('rule', d.rule)} ({d.rule}) {evidence}")
    for c in found:
        click.echo(f"  conflict [{c['scope']}/{c['kind']}]: {c['detail']}")


def _event_table(records, out: IO[str]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table("id", "date", "type", "mode", "participants", "place", "sources",
                  "factuality", "disputed")
    for r in records:
        when = r.date.isoformat() if r.date else (
            f"({r.ref_date.isoformat()})" if r.ref_date else "")
        parts = ", ".join(p.name + ("" if p.role == "participant" else f" [{p.role}]")
                          for p in r.participants)
        table.add_row(str(r.id), when, r.type, r.mode or "", escape(parts),
                      escape(r.place_name or ""), str(r.source_count), r.factuality,
                      "yes" if r.disputed else "")
    Console(file=out, width=None if out.isatty() else 160).print(table)


def _dyad_table(records, out: IO[str]) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table("date", "actor1", "actor2", "type", "quad", "score", "sources", "event")
    for d in records:
        a1 = f"{d.actor1_name} ({d.actor1_code})" if d.actor1_code else d.actor1_name
        a2 = (f"{d.actor2_name} ({d.actor2_code})" if d.actor2_code else d.actor2_name) or ""
        table.add_row(d.date.isoformat() if d.date else "", escape(a1), escape(a2), d.type,
                      str(d.quad_class), f"{d.score:g}", str(d.source_count), str(d.event_id))
    Console(file=out, width=None if out.isatty() else 160).print(table)


@click.command()
@db_option
@click.option("--actor", "actors", multiple=True, metavar="ISO3|NAME",
              help="Only events in which this actor takes part (repeat: all of them).")
@click.option("--type", "types", multiple=True,
              type=click.Choice(PLOVER_TYPES, case_sensitive=False),
              help="Only this PLOVER type (repeat for several).")
@click.option("--since", callback=date_option, help="Events on or after YYYY-MM-DD.")
@click.option("--until", callback=date_option, help="Events on or before YYYY-MM-DD.")
@click.option("--factuality", multiple=True, type=click.Choice(FACTUALITIES),
              help="Only events with this factuality (repeat for several).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "parquet"]),
              default="table", show_default=True)
@click.option("--output", "-o", metavar="FILE", help="Write here instead of stdout "
              "(required for parquet).")
@click.option("--dyadic", is_flag=True, help="One row per directed actor pair "
              "(GDELT-style) instead of one per n-ary event.")
@click.option("--why", "why", type=click.IntRange(min=1), metavar="ID",
              help="Explain fused event ID: each report behind it, the rule that put it "
              "there and the evidence (identities, dates, places, the copied sentence).")
@click.option("--background/--no-background", default=None,
              help="Only background events (well before the report) / none of them; "
              "default: all events (dyadic rows: none unless --background).")
def events(db, actors, types, since, until, factuality, fmt, output, dyadic, why,
           background) -> None:
    """Query fused events. An event without a date is filtered by the date its first
    report was published. --actor takes an ISO3 code, a name or an adjective
    ("Pakistan", "PAK", "Pakistani"), resolved through the knowledge base."""
    from parley.store import export, queries

    if why is not None:
        _why(db, why, fmt)
        return
    if fmt == "parquet" and (output is None or output == "-"):
        raise click.UsageError("--format parquet needs --output FILE")
    if dyadic and background is None:
        background = False
    flt = _filter(actors, types, since, until, factuality, background=background)
    store = open_db(db, create=False)
    try:
        with store_errors(), store.read() as conn:
            for note in queries.resolved_actors(conn, flt.actors):
                click.echo(f"parley: note: --actor {note}", err=True)
            records: Iterable[Any]
            if dyadic:
                records, columns, kind = queries.dyads(conn, flt), export.DYAD_COLUMNS, "dyads"
            else:
                records, columns, kind = queries.events(conn, flt), export.EVENT_COLUMNS, "events"
            to_row = cast(Callable[[Any], dict[str, Any]],
                          export.dyad_row if dyadic else export.event_row)
            seen = [0]

            def counted(rows: Iterable[Any]) -> Iterator[Any]:
                for r in rows:
                    seen[0] += 1
                    yield r

            records = counted(records)
            if fmt == "parquet":
                export.write_parquet((to_row(r) for r in records), kind, Path(output))
                _nothing_found(seen[0], kind)
                return
            with _output(output) as out:
                if fmt == "json":
                    export.write_json(records, out)
                elif fmt == "csv":
                    export.write_csv((to_row(r) for r in records), columns, out)
                elif dyadic:
                    _dyad_table(records, out)
                else:
                    _event_table(records, out)
    finally:
        store.close()
    _nothing_found(seen[0], kind)


def _nothing_found(n: int, kind: str) -> None:
    # like `dyad` (and grep): nothing matching the filter is exit code 1, with a line
    if n == 0:
        err(f"no {kind} match the filter")
        sys.exit(1)


@click.command(name="export")
@db_option
@click.option("--format", "fmt",
              type=click.Choice(["gdelt", "polecat", "parquet", "csv", "stata"]),
              required=True, help="gdelt: tab-separated dyads with CAMEO codes; polecat: "
              "one JSON event a line (PLOVER fields); parquet, csv, stata: events and dyads "
              "files (events.parquet, dyads.parquet; .csv; .dta) in the --output directory.")
@click.option("--output", "-o", required=True, metavar="PATH",
              help="File (gdelt, polecat; '-' for stdout) or directory (parquet, csv, "
              "stata).")
@click.option("--since", callback=date_option, help="Events on or after YYYY-MM-DD.")
@click.option("--until", callback=date_option, help="Events on or before YYYY-MM-DD.")
@click.option("--actor", "actors", multiple=True, metavar="ISO3|NAME",
              help="Only events in which this actor takes part (repeat: all of them).")
@click.option("--background", is_flag=True,
              help="Include background events (well before their reports; left out by "
              "default).")
def export_cmd(db, fmt, output, since, until, actors, background) -> None:
    """Export fused events for bulk use."""
    from parley.store import export

    flt = _filter(actors=actors, since=since, until=until)
    store = open_db(db, create=False)
    try:
        with store_errors(), store.read() as conn:
            if fmt == "parquet":
                n_events, n_dyads = export.export_parquet(conn, Path(output), flt,
                                                          include_background=background)
                note = f"{n_events} events and {n_dyads} dyads"
            elif fmt in ("csv", "stata"):
                n_events, n_dyads = export.export_tables(
                    conn, Path(output), "csv" if fmt == "csv" else "dta", flt,
                    include_background=background)
                note = f"{n_events} events and {n_dyads} dyads"
            else:
                with _output(output) as out:
                    n = (export.export_gdelt if fmt == "gdelt"
                         else export.export_polecat)(conn, out, flt,
                                                     include_background=background)
                note = f"{n} {'dyads' if fmt == 'gdelt' else 'events'}"
    finally:
        store.close()
    click.echo(f"parley: exported {note} to {output}", err=True)


@click.command()
@click.argument("a")
@click.argument("b")
@db_option
@click.option("--by", type=click.Choice(["day", "week", "month"]), default="month",
              show_default=True, help="Period length (weeks start on Monday).")
@click.option("--since", callback=date_option, help="Events on or after YYYY-MM-DD.")
@click.option("--until", callback=date_option, help="Events on or before YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True)
@click.option("--plot", type=click.Path(dir_okay=False), metavar="FILE.png|FILE.svg",
              help="Also draw the series to a PNG or SVG file.")
@click.option("--background", is_flag=True,
              help="Include background events (left out by default).")
def dyad(a, b, db, by, since, until, fmt, plot, background) -> None:
    """Cooperation-conflict series between actors A and B (ISO3 codes, names or
    adjectives, resolved through the knowledge base).

    Per period: events per quad class and their mean PLOVER score, events in either
    direction. An event without a date counts in the period it was first published.
    Exit code 1 when the pair has no events.
    """
    import json

    from parley.store import export, queries
    from parley.store.plot import plot_series

    if plot and Path(plot).suffix.lower() not in (".png", ".svg"):
        raise click.BadParameter("must end in .png or .svg", param_hint="--plot")
    flt = _filter(since=since, until=until)
    store = open_db(db, create=False)
    try:
        with store_errors(), store.read() as conn:
            for note in queries.resolved_actors(conn, (a, b)):
                click.echo(f"parley: note: {note}", err=True)
            rows = queries.dyad_series(conn, a, b, by=by, flt=flt,
                                       include_background=background)
    finally:
        store.close()
    if not rows:
        err(f"no events between {a} and {b}")
        sys.exit(1)
    table_rows = list(export.series_rows(rows))
    out = sys.stdout
    if fmt == "json":
        click.echo(json.dumps(table_rows, indent=1))
    elif fmt == "csv":
        export.write_csv(table_rows, tuple(table_rows[0]), out)
    else:
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        table = Table(*table_rows[0].keys(), title=escape(f"{a} - {b} by {by}"))
        for r in table_rows:
            table.add_row(*(f"{v:g}" if isinstance(v, float) else str(v) for v in r.values()))
        Console(file=out, width=None if out.isatty() else 160).print(table)
    if plot:
        try:
            plot_series(rows, Path(plot), title=f"{a} - {b}: PLOVER events by {by}", by=by)
        except ParleyError as exc:
            fail(exc)
        click.echo(f"parley: plotted {len(rows)} periods to {plot}", err=True)
