"""The ``parley`` command line: a thin view over the library.

Commands parse input and render output; the work lives in ``parley.pipeline``,
``parley.eval`` and ``parley.store``. A ``ParleyError`` is printed as one line on
standard error and sets exit code 2; inputs after a bad one are still processed.
Every command lives in this package; ``cli.common`` holds what they share.
"""

from __future__ import annotations

import importlib
import json
import sys
from datetime import date
from typing import Any

import click

from parley.cli.common import date_option, err, min_confidence_option
from parley.errors import ParleyError

FORMATS = ("json", "jsonl", "table")

# Commands whose modules import heavy libraries (SQLAlchemy, FastAPI, Ray) load only when
# used, so `parley code` starts quickly.
_LAZY = {
    "ingest": "parley.cli.store:ingest",
    "events": "parley.cli.store:events",
    "export": "parley.cli.store:export_cmd",
    "dyad": "parley.cli.store:dyad",
    "serve": "parley.cli.serve:serve",
    "batch": "parley.cli.batch:batch",
    "kb": "parley.cli.kb:kb",
}


class LazyGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        # the last line of defence: a file the system refuses (exists, no space, no such
        # folder, a pipe closed) is one line naming the file, never a traceback
        try:
            return super().invoke(ctx)
        except ParleyError as exc:
            err(exc.one_line())
            ctx.exit(exc.exit_code)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                ctx.exit(0)
            where = f"{exc.filename}: " if exc.filename else ""
            err(f"{where}{exc.strerror or exc}")
            ctx.exit(2)

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
@click.option("--published", callback=date_option, help="Publication date (YYYY-MM-DD) "
              "for inputs that do not carry one.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option("--workers", type=int, default=1, show_default=True,
              help="Processes for spaCy parsing on large inputs.")
@min_confidence_option
def code(paths: tuple[str, ...], published: date | None, fmt: str, workers: int) -> None:
    """Code reports (text, HTML or JSONL files; '-' for standard input)."""
    global _leave_quickly
    _leave_quickly = True  # it holds no store, server or temporary file: see main()
    from parley.ingest import read_inputs
    from parley.pipeline import code_articles

    failures = 0
    articles = []
    for item in read_inputs(paths, published=published):
        if isinstance(item, ParleyError):
            failures += 1
            err(item.one_line())
        else:
            articles.append(item)
    try:
        docs = list(code_articles(articles, n_process=max(1, workers)))
    except ParleyError as exc:
        err(exc.one_line())
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
@click.argument("gold")
@click.option("--split", type=click.Choice(["train", "dev", "test"]),
              help="Only this split of an annotated corpus folder.")
@click.option("--source", "only_source", type=click.Choice(["voa", "parley"]),
              help="Only the corpus articles of this source.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("--verbose", is_flag=True, help="Per article: matched, false and missed events.")
@click.option("--gate/--no-gate", default=False,
              help="Exit 1 if scores fall below the floors pinned in eval/baseline.json.")
@click.option("--sample", "sample_n", type=click.IntRange(min=1), metavar="N",
              help="Draw N asserted events from coded output (GOLD is then a `parley code "
                   "--format jsonl` file) for a person to judge; writes JSONL to stdout.")
@click.option("--seed", type=int, default=0, show_default=True, help="For --sample.")
@click.option("--judged", is_flag=True, help="GOLD is a judged sample: report its shares.")
def eval_cmd(gold: str, split: str | None, only_source: str | None, fmt: str, verbose: bool,
             gate: bool, sample_n: int | None, seed: int, judged: bool) -> None:
    """Score Parley against gold data: an annotated corpus (a file, a folder, or a split
    such as corpus/test), a PLOVER gold-standard file, or an actor or date test set
    (bench/knowledge/*.jsonl); or draw and report a hand check."""
    from parley.eval import corpus as corpus_eval
    from parley.eval.scorer import check_gate, evaluate, load_gold, render_report

    try:
        if sample_n is not None:
            from parley.eval.judge import sample

            for rec in sample(gold, sample_n, seed=seed):
                click.echo(json.dumps(rec, ensure_ascii=False))
            return
        if judged:
            from parley.eval.judge import judged as read_judged

            result = read_judged(gold)
            if fmt == "json":
                click.echo(json.dumps(result.to_dict(), indent=2))
            else:
                shares = result.shares()
                click.echo(f"{result.events} judged events: " + ", ".join(
                    f"{k} {v:.1%}" for k, v in shares.items()))
            return
        if corpus_eval.looks_like_corpus(gold):
            _eval_corpus(gold, split, only_source, fmt, verbose, gate)
            return
        if gold.endswith(".jsonl"):
            from parley.eval import knowledge as knowledge_eval

            found = knowledge_eval.score_file(gold)
            if fmt == "json":
                click.echo(json.dumps(found.to_json(), indent=2))
            else:
                knowledge_eval.render(found)
            return
        records = load_gold(gold)
    except ParleyError as exc:
        err(exc.one_line())
        sys.exit(exc.exit_code)
    report = evaluate(records, progress=fmt == "table", gold_path=gold)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        render_report(report)
    if gate:
        problems = check_gate(report, gold)
        for p in problems:
            err(p)
        if problems:
            sys.exit(1)


def _eval_corpus(gold: str, split: str | None, source: str | None, fmt: str, verbose: bool,
                 gate: bool) -> None:
    from parley.eval import corpus as corpus_eval
    from parley.eval.gate import check_corpus_gate
    from parley.knowledge import default_knowledge

    articles = corpus_eval.load_corpus(gold, split=split, source=source)
    docs = corpus_eval.code_corpus(articles)
    report = corpus_eval.score(articles, docs, verbose=verbose,
                               kb_lookup=corpus_eval.kb_lookup_from(default_knowledge()))
    if fmt == "json":
        out = report.to_dict()
        if verbose:
            out["articles_diff"] = report.diffs
        click.echo(json.dumps(out, indent=2))
    else:
        corpus_eval.render(report)
    if gate:
        problems = check_corpus_gate(report, "-".join(filter(None, [split, source])) or "all")
        for p in problems:
            err(p)
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
                                id="sample-summit", published=date(2024, 3, 8),
                                title="Horn of Africa ministers meet")
    doc = code_article(article)
    print_table(doc)


# Set by commands that hold nothing to close at exit (no store, server, Ray or temporary
# file): ``main`` then ends the process once the output is flushed.
_leave_quickly = False


def main() -> None:
    try:
        cli(standalone_mode=True)
    except ParleyError as exc:  # pragma: no cover - commands handle their own
        err(exc.one_line())
        sys.exit(exc.exit_code)
    except SystemExit as exc:
        if _leave_quickly:
            _leave(exc.code)
        raise


def _leave(code: object) -> None:
    """End the process without tearing down the interpreter.

    A coded document leaves spaCy's model, the knowledge base and the gazetteer in
    memory (hundreds of thousands of objects); freeing them one by one at exit took
    0.25-0.3 s of every one-article `parley code` (docs/performance.md), for memory the
    operating system takes back at once. The output is flushed first, so a reader of
    the pipe gets all of it, and the exit status is what ``sys.exit`` would give.
    """
    import logging
    import os

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be written
            pass
    logging.shutdown()
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    main()
