"""Readers for plain text, HTML and JSONL inputs."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from parley.errors import (
    InputMalformed,
    InputMissing,
    InputTooLarge,
    InputUnreadable,
    ParleyError,
)
from parley.ingest.dates import parse_date
from parley.model import Article
from parley.settings import Settings, load_settings

_HTML_SNIFF = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<article|<p[\s>]|<div)", re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)


def _short_id(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()[:12]


def normalise_date(value: object, *, source: str, line: int | None = None) -> date | None:
    """The date of a record's ``published`` value, or ``InputMalformed``."""
    if value is not None and value != "" and not isinstance(value, str | date):
        raise InputMalformed(f"'published' must be a date string, not {type(value).__name__}",
                             source=source, line=line)
    try:
        return parse_date(value)
    except ValueError:
        text = str(value).strip()
        raise InputMalformed(f"'published' is not a date: {text[:40]!r}", source=source,
                             line=line) from None


def decode_text(data: bytes, *, source: str) -> str:
    """Decode input bytes as UTF-8, refusing binary data and invalid encodings."""
    if not data.strip():
        raise InputUnreadable("input is empty", source=source)
    if b"\x00" in data[:8192]:
        raise InputUnreadable("input looks binary (contains NUL bytes)", source=source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputUnreadable(f"input is not valid UTF-8 (byte {exc.start})",
                              source=source) from None
    if "\x00" in text:
        raise InputUnreadable("input contains NUL characters", source=source)
    return text


def html_depth(html: str, limit: int) -> int:
    """Nesting depth of the HTML, counted up to ``limit + 1`` (cheap, no parser recursion)."""
    depth = best = 0
    for m in _TAG.finditer(html):
        closing, name, selfclose = m.group(1), m.group(2).lower(), m.group(3)
        if name in _VOID or selfclose:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > best:
                best = depth
                if best > limit:
                    break
    return best


def article_from_text(text: str, *, source: str, id: str | None = None,
                      published: date | None = None, title: str | None = None,
                      url: str | None = None) -> Article:
    if not text.strip():
        raise InputUnreadable("input is empty", source=source)
    return Article(
        id=id or _short_id(text.encode("utf-8")),
        text=text,
        published=published,
        title=title,
        url=url,
        source=source,
    )


def article_from_html(html: str, *, source: str, id: str | None = None,
                      published: date | None = None, title: str | None = None,
                      url: str | None = None, settings: Settings | None = None) -> Article:
    """Main text of an HTML page (trafilatura), its title and publication date."""
    settings = settings or load_settings()
    if html_depth(html, settings.max_html_depth) > settings.max_html_depth:
        raise InputUnreadable(
            f"HTML is nested deeper than {settings.max_html_depth} levels", source=source
        )
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        # trafilatura discards fragments it finds too short to be an article
        text = _fallback_text(html, settings)
    if not text:
        raise InputUnreadable("no article text found in the HTML", source=source)
    page_title = (getattr(doc, "title", None) or None) if doc is not None else None
    lines = text.split("\n")
    if page_title and lines and lines[0].strip() == page_title.strip() and len(lines) > 1:
        # trafilatura keeps the <h1> headline as the first line; it is the title, not body.
        text = "\n".join(lines[1:])
    page_date = getattr(doc, "date", None) if doc is not None else None
    if published is None and page_date:
        try:
            published = normalise_date(page_date, source=source)
        except InputMalformed:
            published = None
    return Article(
        id=id or _short_id(html.encode("utf-8")),
        text=text,
        published=published,
        title=title or page_title,
        url=url,
        source=source,
    )


def _fallback_text(html: str, settings: Settings) -> str:
    """Block-level text of a small HTML fragment, without scripts and page furniture
    (the elements are data: ``parley/data/html.yaml``)."""
    import lxml.html

    from parley.knowledge import loader

    elements = loader.mapping("html", settings)
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in list(root.iter(*elements["furniture_elements"])):
        bad.drop_tree()
    lines = [" ".join(el.text_content().split())
             for el in root.iter(*elements["block_elements"])]
    lines = [line for line in lines if line]
    if not lines:
        lines = [" ".join(root.text_content().split())]
    return "\n".join(line for line in lines if line)


def _looks_html(name: str, data: bytes) -> bool:
    lower = name.lower()
    if lower.endswith((".html", ".htm", ".xhtml")):
        return True
    if lower.endswith((".txt", ".text", ".md")):
        return False
    return bool(_HTML_SNIFF.match(data[:512]))


def _read_bytes(path: str, settings: Settings) -> bytes:
    limit = settings.max_input_bytes
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        p = Path(path)
        if not p.exists():
            raise InputMissing("no such file", source=path)
        if p.is_dir():
            raise InputUnreadable("is a directory (pass the files in it)", source=path)
        try:
            size = p.stat().st_size
            if size > limit:
                raise InputTooLarge(
                    f"input is {size:,} bytes, over the limit of {limit:,} "
                    "(raise PARLEY_MAX_INPUT_BYTES to allow it)",
                    source=path,
                )
            with p.open("rb") as fh:
                data = fh.read(limit + 1)
        except PermissionError:
            raise InputUnreadable("permission denied", source=path) from None
        except IsADirectoryError:
            raise InputUnreadable("is a directory", source=path) from None
    if len(data) > limit:
        raise InputTooLarge(f"input is over the limit of {limit:,} bytes", source=path)
    return data


def read_jsonl(data: bytes, *, source: str, settings: Settings,
               published: date | None = None) -> Iterator[Article | ParleyError]:
    """One article per line: id, text or html, published, url, title."""
    if not data.strip():
        yield InputUnreadable("input is empty", source=source)
        return
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            yield _jsonl_record(raw, number, source=source, settings=settings,
                                published=published)
        except ParleyError as err:
            yield err


def _jsonl_record(raw: bytes, number: int, *, source: str, settings: Settings,
                  published: date | None) -> Article:
    if len(raw) > settings.max_jsonl_line_bytes:
        raise InputTooLarge(f"record is over {settings.max_jsonl_line_bytes:,} bytes",
                            source=source, line=number)
    try:
        record = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputUnreadable(f"invalid UTF-8 (byte {exc.start})", source=source,
                              line=number) from None
    except json.JSONDecodeError as exc:
        raise InputMalformed(f"not valid JSON ({exc.msg}, column {exc.colno})",
                             source=source, line=number) from None
    if not isinstance(record, dict):
        raise InputMalformed("each line must be a JSON object", source=source, line=number)
    for key in ("id", "text", "html", "title", "url"):
        value = record.get(key)
        allowed = (str, int) if key == "id" else (str,)
        if value is not None and (isinstance(value, bool) or not isinstance(value, allowed)):
            raise InputMalformed(f"field '{key}' must be a string", source=source, line=number)
    text, html = record.get("text"), record.get("html")
    if not (text or html):
        raise InputMalformed("record has neither 'text' nor 'html'", source=source, line=number)
    # the record's own date wins; --published is for records that carry none
    pub = normalise_date(record.get("published"), source=source, line=number) or published
    rid = str(record["id"]) if record.get("id") is not None else None
    name = f"{source}:{number}"
    if text:
        if "\x00" in text:
            raise InputUnreadable("text contains NUL characters", source=source, line=number)
        return article_from_text(text, source=name, id=rid, published=pub,
                                 title=record.get("title"), url=record.get("url"))
    return article_from_html(str(html), source=name, id=rid, published=pub,
                             title=record.get("title"), url=record.get("url"),
                             settings=settings)


def read_path(path: str, *, published: date | None = None,
              settings: Settings | None = None) -> Iterator[Article | ParleyError]:
    """Read one path (or ``-``), yielding articles and per-record errors."""
    from parley.ingest.feeds import fetch, is_feed_url, looks_like_feed, parse_feed
    from parley.ingest.warc import is_warc, read_warc

    settings = settings or load_settings()
    if is_warc(path):
        yield from read_warc(path, settings=settings)
        return
    if path.lower().endswith(".parquet"):
        yield InputUnreadable("a `parley batch` output is already coded: store it with "
                              "`parley ingest`", source=path)
        return
    try:
        data = fetch(path, settings) if is_feed_url(path) else _read_bytes(path, settings)
    except ParleyError as err:
        yield err
        return
    if is_feed_url(path) or looks_like_feed(path, data):
        yield from parse_feed(data, source=path, settings=settings, published=published)
        return
    if path.lower().endswith((".jsonl", ".ndjson")):
        yield from read_jsonl(data, source=path, settings=settings, published=published)
        return

    try:
        text = decode_text(data, source=path)
        if _looks_html(path, data):
            yield article_from_html(text, source=path, published=published, settings=settings)
        else:
            yield article_from_text(text, source=path, published=published)
    except ParleyError as err:
        yield err


def read_inputs(paths: Iterable[str], *, published: date | None = None,
                settings: Settings | None = None) -> Iterator[Article | ParleyError]:
    """Articles from paths, folders (walked by ``discover``), URLs or ``-``."""
    from parley.ingest.discover import discover

    settings = settings or load_settings()
    for path in discover(paths):
        if isinstance(path, ParleyError):
            yield path
        else:
            yield from read_path(path, published=published, settings=settings)
