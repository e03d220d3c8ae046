"""RSS 2.0 and Atom feeds, from a file or fetched over HTTP(S).

Each feed item becomes an ``Article`` (title, link, publication date, and its content or
summary as HTML). Fetching is bounded: a timeout per attempt, a few retries with
exponential backoff on connection errors and 5xx/429 answers, and a size cap on the
body. The XML parser resolves no entities, loads no DTD and touches no network, so a
hostile feed cannot expand itself or reach out.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from email.utils import parsedate_to_datetime

from parley.errors import InputMalformed, InputMissing, InputTooLarge, InputUnreadable, ParleyError
from parley.ingest.dates import parse_date
from parley.model import Article
from parley.settings import Settings

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_ROOT = re.compile(rb"<(rss|feed|rdf:rdf)[\s>]")


def is_feed_url(path: str) -> bool:
    return path.lower().startswith(("http://", "https://"))


def looks_like_feed(name: str, data: bytes) -> bool:
    if name.lower().endswith((".rss", ".atom")):
        return True
    head = data[:4096].lstrip().lower()
    if not head.startswith((b"<?xml", b"<!doctype", b"<!--", b"<rss", b"<feed", b"<rdf")):
        return False
    return _ROOT.search(head) is not None


def fetch(url: str, settings: Settings, *, opener=urllib.request.urlopen) -> bytes:
    """GET ``url`` with a timeout, retries with backoff, and a size cap."""
    limit = settings.max_feed_bytes
    delay = settings.feed_backoff_seconds
    last: str = "no attempt"
    for attempt in range(settings.feed_retries + 1):
        if attempt:
            time.sleep(delay)
            delay *= 2
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "parley/0.1"})
            with opener(request, timeout=settings.feed_timeout_seconds) as resp:
                declared = resp.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise InputTooLarge(f"feed is {int(declared):,} bytes, over the limit of "
                                        f"{limit:,}", source=url)
                body = resp.read(limit + 1)
                if len(body) > limit:
                    raise InputTooLarge(f"feed is over the limit of {limit:,} bytes", source=url)
                return body
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
            if exc.code not in _RETRY_STATUS:
                raise InputMissing(f"could not fetch the feed ({last})", source=url) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            last = "timed out" if isinstance(reason, TimeoutError) or "timed out" in str(
                reason) else str(reason)
    raise InputMissing(f"could not fetch the feed after {settings.feed_retries + 1} attempts "
                       f"({last})", source=url)


def _text(el) -> str | None:
    if el is None:
        return None
    return ("".join(el.itertext()) or "").strip() or None


def _date(value: str | None) -> date | None:
    if not value:
        return None
    value = value.strip()
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return parse_date(value)
    except ValueError:
        return None


def parse_feed(data: bytes, *, source: str, settings: Settings,
               published: date | None = None) -> Iterator[Article | ParleyError]:
    from lxml import etree

    from parley.ingest.readers import article_from_html

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        yield InputMalformed(f"not a well-formed feed ({exc.msg})", source=source)
        return
    if root.tag == "rss" or root.tag.endswith("RDF"):
        items = [(it, "rss") for it in root.iter("item", "{*}item")]
    elif root.tag == f"{_ATOM}feed":
        items = [(it, "atom") for it in root.iter(f"{_ATOM}entry")]
    else:
        yield InputUnreadable(f"not an RSS or Atom feed (root element {root.tag!r})",
                              source=source)
        return
    for n, (item, kind) in enumerate(items, start=1):
        where = f"{source}#item{n}"
        try:
            if kind == "rss":
                title = _text(item.find("title"))
                link = _text(item.find("link")) or _text(item.find("guid"))
                day = _date(_text(item.find("pubDate")) or _text(item.find("{*}date")))
                body = _text(item.find(_CONTENT)) or _text(item.find("description"))
                uid = _text(item.find("guid")) or link
            else:
                title = _text(item.find(f"{_ATOM}title"))
                link_el = item.find(f"{_ATOM}link")
                link = link_el.get("href") if link_el is not None else None
                day = _date(_text(item.find(f"{_ATOM}published"))
                            or _text(item.find(f"{_ATOM}updated")))
                body = _text(item.find(f"{_ATOM}content")) or _text(item.find(f"{_ATOM}summary"))
                uid = _text(item.find(f"{_ATOM}id")) or link
            if not body:
                raise InputUnreadable("feed item has no content or summary", source=where)
            html = body if "<" in body else "".join(f"<p>{p}</p>" for p in body.split("\n"))
            yield article_from_html(html, source=where, id=uid, published=day or published,
                                    title=title, url=link, settings=settings)
        except ParleyError as err:
            yield err
