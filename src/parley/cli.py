"""The ``parley`` command line: a thin view over the library.

Commands parse input and render output; the work lives in ``parley.pipeline``,
``parley.eval`` and ``parley.store``. A ``ParleyError`` is printed as one line on
standard error and sets exit code 2; inputs after a bad one are still processed.
"""

from __future__ import annotations

import importlib
import json
import sys
from datetime import date

import click

from parley.errors import ParleyError

FORMATS = ("json", "jsonl", "table")


def _err(message: str) -> None:
    click.echo(f"parley: error: {message}", err=True)


def _check_date(ctx, param, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


# Commands whose modules import heavy libraries (SQLAlchemy, FastAPI, Ray) load only when
# used, so `parley code` starts quickly.
_LAZY = {
    "ingest": "parley.store.commands:ingest",
    "events": "parley.store.commands:events",
    "export": "parley.store.commands:export_cmd",
    "dyad": "parley.store.commands:dyad",
    "serve": "parley.api.commands:serve",
    "batch": "parley.scale.commands:batch",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_LAZY})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in _LAZY and name not in self.commands:
            module, attr = _LAZY[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parley")
def cli() -> None:
    """Parley: political event data from news reports, with the evidence for every fact."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", callback=_check_date, help="Publication date (YYYY-MM-DD) "
              "for inputs that do not carry one.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option("--workers", type=int, default=1, show_default=True,
              help="Processes for spaCy parsing on large inputs.")
def code(paths: tuple[str, ...], published: str | None, fmt: str, workers: int) -> None:
    """Code reports (text, HTML or JSONL files; '-' for standard input)."""
    from parley.ingest import read_inputs
    from parley.pipeline import code_articles

    failures = 0
    articles = []
    for item in read_inputs(paths, published=published):
        if isinstance(item, ParleyError):
            failures += 1
            _err(item.one_line())
        else:
            articles.append(item)
    try:
        docs = list(code_articles(articles, n_process=max(1, workers)))
    except ParleyError as exc:
        _err(exc.one_line())
        sys.exit(exc.exit_code)
    if fmt == "json":
        if len(docs) == 1 and len(paths) == 1 and not paths[0].lower().endswith(".jsonl"):
            click.echo(docs[0].model_dump_json(indent=2))
        elif docs:
            click.echo(json.dumps([d.model_dump(mode="json") for d in docs], indent=2,
                                  ensure_ascii=False))
    elif fmt == "jsonl":
        for d in docs:
            click.echo(d.model_dump_json())
    else:
        from parley.render import print_table

        for d in docs:
            print_table(d)
    if failures:
        sys.exit(2)


@cli.command(name="eval")
@click.argument("gold", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("--gate/--no-gate", default=False,
              help="Exit 1 if scores fall below the floors pinned in eval/baseline.json.")
def eval_cmd(gold: str, fmt: str, gate: bool) -> None:
    """Score Parley against a PLOVER gold-standard file."""
    from parley.eval.scorer import check_gate, evaluate, load_gold, render_report

    try:
        records = load_gold(gold)
    except ParleyError as exc:
        _err(exc.one_line())
        sys.exit(exc.exit_code)
    report = evaluate(records, progress=fmt == "table", gold_path=gold)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        render_report(report)
    if gate:
        problems = check_gate(report, gold)
        for p in problems:
            _err(p)
        if problems:
            sys.exit(1)


@cli.command()
def demo() -> None:
    """Code the sample report bundled with Parley and show the result."""
    from importlib import resources

    from parley.ingest import article_from_text
    from parley.pipeline import code_article
    from parley.render import print_table

    sample = resources.files("parley").joinpath("data", "samples", "summit.txt")
    article = article_from_text(sample.read_text("utf-8"), source="summit.txt",
                                id="sample-summit", published="2024-03-08",
                                title="Horn of Africa ministers meet")
    doc = code_article(article)
    print_table(doc)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except ParleyError as exc:  # pragma: no cover - commands handle their own
        _err(exc.one_line())
        sys.exit(exc.exit_code)


if __name__ == "__main__":  # pragma: no cover
    main()
