"""WARC web archives: one article per HTML response record.

Archives are streamed record by record with ``warcio`` (the optional ``warc`` extra):
each HTTP response with an HTML body becomes one article, its URL the record's target
URI and its publication date the WARC-Date.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from parley.errors import InputMissing, InputTooLarge, InputUnreadable, ParleyError
from parley.model import Article
from parley.settings import Settings, load_settings

WARC_SUFFIXES = (".warc", ".warc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def is_warc(path: str | Path) -> bool:
    return str(path).lower().endswith(WARC_SUFFIXES)


def _decode(body: bytes, content_type: str) -> str:
    m = _CHARSET.search(content_type)
    for charset in ([m.group(1)] if m else []) + ["utf-8"]:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    # web pages in the wild often mislabel their encoding; cp1252 decodes any byte string
    return body.decode("cp1252", errors="replace")


def _record_id(record_id: str | None, body: bytes) -> str:
    # "<urn:uuid:...>" names the record uniquely, even when a page was captured twice
    if record_id:
        rid = record_id.strip("<>")
        return rid.removeprefix("urn:uuid:")
    return hashlib.sha1(body).hexdigest()[:12]


def read_warc(path: str, *, settings: Settings | None = None
              ) -> Iterator[Article | ParleyError]:
    """One article per HTML response record of a WARC (plain or gzipped) file."""
    from parley.ingest.readers import article_from_html, normalise_date

    settings = settings or load_settings()
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        yield InputUnreadable("reading WARC files needs the optional 'warc' extra "
                              "(pip install 'parley[warc]')", source=path)
        return
    p = Path(path)
    if not p.is_file():
        yield InputMissing("no such file", source=path)
        return
    try:
        fh = p.open("rb")
    except OSError as exc:
        yield InputUnreadable(f"cannot open ({exc.strerror})", source=path)
        return
    with fh:
        number = 0
        try:
            for record in ArchiveIterator(fh):
                number += 1
                if not record.format.startswith("warc"):
                    # warcio also reads ARC, and will read almost any text as ARC headers
                    yield InputUnreadable("not a WARC file (no WARC record header)",
                                          source=path, line=number)
                    return
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                status = record.http_headers.get_statuscode() or ""
                ctype = record.http_headers.get_header("Content-Type") or ""
                if not status.startswith("2") or not ctype.lower().startswith(_HTML_TYPES):
                    continue
                # the record's position, like "file.jsonl:LINE" for a JSONL record
                source = f"{path}:{number}"
                body = record.content_stream().read(settings.max_input_bytes + 1)
                if len(body) > settings.max_input_bytes:
                    yield InputTooLarge(f"record is over {settings.max_input_bytes:,} bytes",
                                        source=path, line=number)
                    continue
                if not body.strip():
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                try:
                    published = normalise_date(record.rec_headers.get_header("WARC-Date"),
                                               source=path, line=number)
                    yield article_from_html(
                        _decode(body, ctype), source=source, url=url, published=published,
                        id=_record_id(record.rec_headers.get_header("WARC-Record-ID"), body),
                        settings=settings)
                except ParleyError as err:
                    err.source, err.line = path, number
                    yield err
        except ArchiveLoadFailed as exc:
            yield InputUnreadable(f"not a readable WARC file ({exc})", source=path,
                                  line=number + 1)
