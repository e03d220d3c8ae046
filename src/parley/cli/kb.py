"""``parley kb``: look names up in the actor knowledge base and count what it holds."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import click

from parley.cli.common import date_option, fail
from parley.errors import ParleyError


@click.group()
def kb() -> None:
    """The actor knowledge base: lookups and counts (docs/kb.md)."""


def _entity_view(e, day: date | None) -> dict:
    view = {"id": e.id, "name": e.name, "kind": e.kind, "country": e.country,
            "sector": e.sector}
    if e.offices:
        held = [o for o in e.offices if o.held_on(day)] if day else []
        view["offices"] = [
            {"office": o.office, "country": o.country, "org": o.org, "about": o.about,
             "start": o.start.isoformat() if o.start != date.min else None,
             "end": o.end.isoformat() if o.end else None, "held_on_date": o in held}
            for o in e.offices]
    if e.aliases:
        view["aliases"] = [a for a in e.aliases if a != e.name]
    return view


@kb.command()
@click.argument("name")
@click.option("--date", "day", callback=date_option,
              help="The article date: which office each person held then (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def lookup(name: str, day: date | None, fmt: str) -> None:
    """Every entity NAME may refer to, the one chosen without context first."""
    from parley.actors.detect import _choose
    from parley.knowledge import default_knowledge

    try:
        base = default_knowledge().kb
    except ParleyError as exc:
        fail(exc)
    refs = base.refs(name)
    if not refs:
        click.echo(f"no knowledge-base entity is called {name!r}", err=True)
        raise SystemExit(1)
    chosen = _choose(base, refs, day)
    ordered = [chosen, *[r for r in refs if r is not chosen]]
    views = []
    for r in ordered:
        e = base.entities.get(r.entity)
        if e is not None:
            views.append({**_entity_view(e, day), "matched_as": r.how})
    if fmt == "json":
        click.echo(json.dumps(views, indent=2, ensure_ascii=False))
        return
    for n, v in enumerate(views):
        mark = "*" if n == 0 else " "
        click.echo(f"{mark} {v['id']}  {v['name']}  [{v['kind']}, {v['country'] or '-'}, "
                   f"{v['sector'] or '-'}]  (as {v['matched_as']})")
        for o in v.get("offices", []):
            now = "  <- on that date" if o["held_on_date"] else ""
            where = o["country"] or o["org"] or ""
            click.echo(f"      {o['office']} {where} {o['start'] or '?'} to "
                       f"{o['end'] or 'now'}{now}")
    if len(views) > 1:
        click.echo("* chosen when the article gives no other clue (the article's countries "
                   "and date decide in coding)")


@kb.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def stats(fmt: str) -> None:
    """How many countries, organisations, groups and office holders the KB holds, by
    kind, sector and source."""
    from parley.knowledge import default_knowledge

    try:
        base = default_knowledge().kb
    except ParleyError as exc:
        fail(exc)
    raw = base.raw
    out: dict = {"counts": base.counts()}
    out["organisations_by_kind"] = dict(Counter(
        str(o.get("kind")) for o in raw.get("organisations", [])).most_common())
    out["groups_by_sector"] = dict(Counter(
        str(g.get("sector")) for g in raw.get("groups", [])).most_common())
    out["offices"] = dict(Counter(
        str(r.get("office")) for p in raw.get("people", []) for r in p.get("roles") or []
    ).most_common())
    out["sources"] = dict(Counter(
        str(r.get("source") or "hand-written") for section in ("organisations", "groups",
                                                               "people")
        for r in raw.get(section, [])).most_common())
    out["names"] = len(base.names)
    from parley.knowledge import loader

    out["regions"] = sum(len(layer.data) for layer in loader.layers(
        "regions", default_knowledge().settings) if isinstance(layer.data, list))
    if fmt == "json":
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    c = out["counts"]
    click.echo(f"countries and territories {c['countries']:>6}")
    click.echo(f"organisations             {c['organisations']:>6}")
    click.echo(f"armed and criminal groups {c['groups']:>6}")
    click.echo(f"people                    {c['people']:>6}  "
               f"({c['office_records']} dated office terms)")
    click.echo(f"names and aliases         {out['names']:>6}")
    click.echo(f"regions (places)          {out['regions']:>6}")
    for title, key in (("organisations by kind", "organisations_by_kind"),
                       ("groups by sector", "groups_by_sector"), ("office terms", "offices"),
                       ("records by source", "sources")):
        click.echo(f"\n{title}:")
        for k, v in out[key].items():
            click.echo(f"  {v:>6}  {k}")
