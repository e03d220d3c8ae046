"""``parley batch``: code a corpus into Parquet, on local processes or on Ray.

A thin view: it reads inputs with ``parley.ingest.read_inputs`` (the same discovery and
readers as ``code`` and ``ingest``), codes them with ``parley.scale.local`` or
``parley.scale.ray_runner`` and writes with ``parley.scale.output``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Self

import click

from parley.cli.common import fail, min_confidence_option
from parley.errors import ParleyError
from parley.model import Article
from parley.parse import BATCH_SIZE

ENGINES = ("local", "ray")


class _Progress:
    """A rich progress line on a terminal; when stderr is a file or a pipe, a plain line
    whenever articles are done and two seconds have passed since the last one (a log
    shows that a long batch is moving)."""

    EVERY = 2.0  # seconds between plain progress lines

    def __init__(self, enabled: bool) -> None:
        self.bar = None
        self.start = time.perf_counter()
        self._last = self.start
        self._done = 0
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        # auto_refresh=False: no refresh thread, so forking the workers is safe
        self.bar = Progress(SpinnerColumn(), TextColumn("batch {task.completed} articles"),
                            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                            console=Console(stderr=True), auto_refresh=False,
                            transient=True)
        self.task = self.bar.add_task("batch", total=None, rate="")

    def __enter__(self) -> Self:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()

    def advance(self, n: int) -> None:
        now = time.perf_counter()
        if self.bar is None:
            self._done += n
            if now - self._last >= self.EVERY:
                self._last = now
                click.echo(f"parley: batch {self._done} articles, "
                           f"{self._done / max(now - self.start, 1e-9):.1f}/s, "
                           f"{now - self.start:.0f} s", err=True)
            return
        done = self.bar.tasks[0].completed + n
        rate = f"{done / max(now - self.start, 1e-9):.1f}/s"
        self.bar.update(self.task, advance=n, rate=rate)
        if now - self._last > 0.2:
            self._last = now
            self.bar.refresh()

    def print(self, message: str) -> None:
        if self.bar is not None:
            self.bar.console.print(message, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(message, err=True)


def _check_output(output: str, overwrite: bool) -> Path:
    from parley.scale.output import DOCUMENTS, EVENTS

    out = Path(output)
    if out.exists() and not out.is_dir():
        raise click.BadParameter(f"{output} exists and is not a directory", param_hint="OUTPUT")
    existing = [name for name in (DOCUMENTS, EVENTS) if (out / name).exists()]
    if existing and not overwrite:
        raise click.BadParameter(f"{output} already holds {', '.join(existing)} "
                                 "(pass --overwrite to replace)", param_hint="OUTPUT")
    return out


@click.command()
@click.argument("input_path", metavar="INPUT")
@click.argument("output", metavar="OUTPUT")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="local: worker processes on this machine; ray: Ray Data actors.")
@click.option("--address", metavar="ADDR",
              help="Ray cluster to join (e.g. 10.0.0.5:6379 or 'auto'); default: start "
                   "a private local Ray. Only with --engine ray.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Coding processes (local) or Ray actors. Default: the CPU count.")
@click.option("--batch-size", type=click.IntRange(min=1), default=BATCH_SIZE,
              show_default=True, help="Articles per chunk sent to a worker (and per spaCy batch).")
@click.option("--overwrite", is_flag=True, help="Replace the Parquet files already in "
              "OUTPUT.")
@min_confidence_option
def batch(input_path: str, output: str, engine: str, address: str | None,
          workers: int | None, batch_size: int, overwrite: bool) -> None:
    """Code a corpus into OUTPUT/documents.parquet and OUTPUT/events.parquet.

    INPUT is a JSONL file, a WARC file (.warc, .warc.gz; needs the 'warc' extra), a
    feed, or a folder of such files (walked as `parley code` and `parley ingest` walk
    it). Bad inputs are reported and skipped (exit code 2); the others are still coded.
    """
    from parley.ingest import read_inputs
    from parley.knowledge import default_knowledge
    from parley.scale.output import BatchWriter

    if address and engine != "ray":
        raise click.UsageError("--address needs --engine ray")
    if engine == "ray":
        from parley.scale.ray_runner import require_ray

        try:
            require_ray()
        except ParleyError as exc:
            fail(exc)
    out = _check_output(output, overwrite)
    workers = workers or os.cpu_count() or 1

    failed = 0
    show = _Progress(enabled=sys.stderr.isatty())

    def on_error(err: ParleyError) -> None:
        nonlocal failed
        failed += 1
        show.print(f"parley: error: {err.one_line()}")

    def articles() -> Iterator[Article]:
        for item in read_inputs([input_path]):
            if isinstance(item, ParleyError):
                on_error(item)
            else:
                yield item

    started = time.perf_counter()
    writer = BatchWriter(out, default_knowledge().plover)
    try:
        with show:
            for article, doc in _coder(engine)(
                    articles(), workers=workers, batch_size=batch_size, address=address,
                    progress=show.advance, on_error=on_error):
                writer.add(article, doc)
    except ParleyError as exc:
        writer.abort()
        fail(exc)
    except Exception as exc:
        if engine != "ray":
            raise
        # Ray wraps worker errors in its own types; a Parley one inside is the news
        writer.abort()
        fail(_from_ray(exc))
    except BaseException:
        writer.abort()
        raise
    summary = writer.close()
    elapsed = time.perf_counter() - started
    rate = summary.documents / elapsed if elapsed > 0 else 0.0
    click.echo(
        f"parley: batch coded {summary.documents} articles ({failed} failed) with "
        f"{summary.events} events in {elapsed:.1f} s ({rate:.1f} articles/s, {engine} "
        f"engine, {workers} workers) -> {out}", err=True)
    if failed:
        sys.exit(2)


def _coder(engine: str) -> Callable[..., Iterator]:
    if engine == "ray":
        from parley.scale.ray_runner import code_ray

        return code_ray

    from parley.scale.local import code_parallel_pairs

    def local(articles, *, address, **kwargs):
        return code_parallel_pairs(articles, **kwargs)

    return local


def _from_ray(exc: BaseException) -> ParleyError:
    from parley.scale.ray_runner import RayFailed

    seen: set[int] = set()
    node: BaseException | None = exc
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        if isinstance(node, ParleyError):
            return node
        node = getattr(node, "cause", None) or node.__cause__
    first = (str(exc).strip().splitlines() or [""])[0]
    return RayFailed(f"{type(exc).__name__}: {first}", source="ray")
