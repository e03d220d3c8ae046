"""What `parley batch` reads: WARC archives (HTML responses only), folders, JSONL."""

from __future__ import annotations

import io

import pytest

from parley.errors import InputMissing, ParleyError
from parley.ingest import read_inputs
from parley.ingest.warc import read_warc
from parley.model import Article

warcio = pytest.importorskip("warcio", reason="the 'warc' extra (warcio) is not installed")

PAGE = """<html><head><title>Ministers meet in Nairobi</title></head><body>
<nav>Home | World | Africa</nav>
<article><h1>Ministers meet in Nairobi</h1>
<p>Kenya and Uganda signed a border agreement in Nairobi on Monday, officials said.</p>
<p>The two governments also agreed to hold further talks next month.</p>
</article><footer>Copyright</footer></body></html>"""


def _write_warc(path, records, *, gzip: bool = True) -> str:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        for kind, uri, status, ctype, body, when in records:
            http = None
            if kind in ("response", "request"):
                first = "GET / HTTP/1.1" if kind == "request" else status
                http = StatusAndHeaders(first, [("Content-Type", ctype)],
                                        protocol="HTTP/1.1", is_http_request=kind == "request")
            # an explicit length: without it warcio spools the payload to a temporary
            # file that it never closes
            record = writer.create_warc_record(
                uri, kind, payload=io.BytesIO(body), length=len(body), http_headers=http,
                warc_headers_dict={"WARC-Date": when})
            writer.write_record(record)
    return str(path)


def test_warc_html_responses_become_articles_with_uri_and_warc_date(tmp_path):
    html = PAGE.encode("utf-8")
    path = _write_warc(tmp_path / "crawl.warc.gz", [
        ("request", "https://news.example/a", "", "text/html", b"", "2024-03-08T10:00:00Z"),
        ("response", "https://news.example/a", "200 OK", "text/html; charset=utf-8", html,
         "2024-03-08T10:00:01Z"),
        ("response", "https://news.example/logo.png", "200 OK", "image/png",
         b"\x89PNG\r\n\x1a\n", "2024-03-08T10:00:02Z"),
        ("response", "https://news.example/gone", "404 Not Found", "text/html",
         b"<html><body><p>Not found</p></body></html>", "2024-03-08T10:00:03Z"),
        ("response", "https://news.example/b", "200 OK", "text/html",
         PAGE.replace("Nairobi", "Kampala").encode("cp1252"), "2024-03-09T23:59:59Z"),
    ])
    items = list(read_warc(path))
    assert all(isinstance(i, Article) for i in items), items
    assert [a.url for a in items] == ["https://news.example/a", "https://news.example/b"]
    assert [str(a.published) for a in items] == ["2024-03-08", "2024-03-09"]
    first = items[0]
    assert first.title == "Ministers meet in Nairobi"
    assert first.text.startswith("Kenya and Uganda signed a border agreement")
    assert "Home | World" not in first.text and "Copyright" not in first.text
    assert first.source == f"{path}:2"
    assert len({a.id for a in items}) == 2  # from the WARC-Record-IDs


def test_warc_read_through_a_folder_with_other_inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _write_warc(folder / "b.warc", [
        ("response", "https://news.example/a", "200 OK", "text/html", PAGE.encode(),
         "2024-03-08T10:00:01Z")], gzip=False)
    (folder / "a.txt").write_text("Kenya and Uganda held talks on Monday.", "utf-8")
    (folder / "notes.csv").write_text("ignored", "utf-8")
    items = list(read_inputs([str(folder)]))
    assert [type(i) for i in items] == [Article, Article]
    assert items[0].text.startswith("Kenya and Uganda held talks")
    assert items[1].url == "https://news.example/a"


@pytest.mark.parametrize("junk", [b"this is not a WARC file at all\n" * 10,
                                  b"<html><body>a page, not an archive</body></html>"])
def test_not_a_warc_is_one_error_not_a_crash(tmp_path, junk):
    bad = tmp_path / "junk.warc"
    bad.write_bytes(junk)
    items = list(read_warc(str(bad)))
    assert len(items) == 1 and isinstance(items[0], ParleyError)
    assert items[0].one_line().startswith(f"{bad}:1: not a")


def test_an_empty_folder_is_reported(tmp_path):
    items = list(read_inputs([str(tmp_path)]))
    assert len(items) == 1 and isinstance(items[0], InputMissing)
