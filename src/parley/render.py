"""Human-readable rendering of a coded document (rich tables)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from parley.model import Document


def print_table(doc: Document, console: Console | None = None) -> None:
    if console is None:
        # wide enough for the evidence column even when output is piped (80 columns)
        console = Console(width=max(Console().width, 150))
    names = {a.id: a for a in doc.actors}
    title = doc.title or doc.id
    console.print(f"[bold]{title}[/bold]  published {doc.published or '?'}")
    if doc.dateline:
        console.print(f"dateline: {doc.dateline.raw!r} -> {doc.dateline.place}")
    for r in doc.removed:
        console.print(f"[dim]removed ({r.reason}): {r.text}[/dim]")
    table = Table(show_lines=False)
    for col in ("id", "type", "factuality", "participants", "date", "place", "trigger",
                "evidence"):
        table.add_column(col, overflow="fold")
    for e in doc.events:
        parts = []
        for p in e.participants:
            a = names.get(p.actor)
            label = f"{a.name} [{a.country or '-'}/{a.sector or '-'}]" if a else p.actor
            mark = "?" if p.disputed else ""
            parts.append(f"{p.role[:3]}:{label}{mark}")
        d = e.date.value.isoformat() if e.date.value else "-"
        if e.date.disputed:
            d += " (disputed: " + ", ".join(c.isoformat() for c in e.date.candidates) + ")"
        m = e.mentions[0]
        table.add_row(
            e.id, e.type + (f"/{e.mode}" if e.mode else ""), e.factuality, "\n".join(parts), d,
            e.place.name if e.place else "-",
            doc.text[m.trigger.start : m.trigger.end],
            doc.text[m.start : m.end][:100] + (f"  (+{len(e.mentions) - 1} more)"
                                               if len(e.mentions) > 1 else ""),
        )
    console.print(table)
    for c in doc.conflicts:
        spans = "; ".join(repr(doc.text[s.start : s.end][:80]) for s in c.evidence)
        console.print(f"[yellow]conflict[/yellow] {c.kind} on {c.event}: {c.detail} — {spans}")
