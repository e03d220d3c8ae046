"""RSS/Atom feeds from files and from a local HTTP server: timeouts, retries, size caps."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from parley.errors import InputMalformed, InputMissing, InputTooLarge
from parley.ingest import read_path
from parley.ingest.feeds import fetch
from parley.model import Article
from parley.settings import load_settings

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>World</title>
<item><title>Kenya and Uganda sign deal</title><link>https://example.invalid/a</link>
<guid>a-1</guid><pubDate>Fri, 08 Mar 2024 10:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>Kenya and Uganda signed a border agreement on Monday.</p>
<p>Also Read: Chef opens restaurant</p>]]></content:encoded></item>
<item><title>Talks</title><link>https://example.invalid/b</link>
<description>Egypt and Qatar held talks in Cairo on Tuesday.</description></item>
<item><title>Empty</title></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>
<entry><title>Ministers meet</title><id>urn:x:1</id><link href="https://example.invalid/c"/>
<published>2024-03-05T08:00:00Z</published>
<content type="html">&lt;p&gt;The foreign ministers of Chad, Niger and Mali met in
Niamey.&lt;/p&gt;</content>
</entry></feed>"""
BOMB = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2
"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rss><channel><item><title>&lol2;</title>
<description>x</description></item></channel></rss>"""


def _articles(items):
    return [x for x in items if isinstance(x, Article)]


def test_rss_items_become_articles_with_dates_links_and_errors(tmp_path):
    feed = tmp_path / "world.rss"
    feed.write_bytes(RSS)
    items = list(read_path(str(feed)))
    arts = _articles(items)
    assert [a.id for a in arts] == ["a-1", "https://example.invalid/b"]
    assert str(arts[0].published) == "2024-03-08" and arts[0].url == "https://example.invalid/a"
    assert arts[0].title == "Kenya and Uganda sign deal"
    assert "Kenya and Uganda signed a border agreement" in arts[0].text
    errors = [x for x in items if not isinstance(x, Article)]
    assert len(errors) == 1 and "#item3" in errors[0].source


def test_atom_entries_are_read(tmp_path):
    feed = tmp_path / "desk.atom"
    feed.write_bytes(ATOM)
    (art,) = _articles(read_path(str(feed)))
    assert str(art.published) == "2024-03-05" and art.id == "urn:x:1"
    assert art.text.startswith("The foreign ministers of Chad, Niger and Mali met")


def test_entities_are_not_expanded_and_broken_xml_is_one_error(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(BOMB)
    (item,) = list(read_path(str(bomb)))
    # the entity stays unexpanded (an XML bomb would multiply it)
    assert isinstance(item, Article) and "lollol" not in (item.title or "")
    broken = tmp_path / "broken.rss"
    broken.write_bytes(RSS[:300])
    (err,) = list(read_path(str(broken)))
    assert isinstance(err, InputMalformed) and "well-formed" in err.message


class _Handler(BaseHTTPRequestHandler):
    calls: dict[str, int] = {}

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):  # noqa: N802 - http.server's API
        n = self.calls[self.path] = self.calls.get(self.path, 0) + 1
        if self.path == "/flaky" and n < 3:
            self.send_response(503)
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/missing":
            self.send_response(404)
            self.end_headers()
            return
        body = RSS * 200 if self.path == "/huge" else RSS
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        if self.path != "/huge":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.calls = {}
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _settings(**kw):
    base = dict(feed_timeout_seconds=0.5, feed_retries=2, feed_backoff_seconds=0.05)
    return load_settings().with_(**{**base, **kw})


def test_feed_over_http_is_fetched_and_read(server):
    arts = _articles(read_path(server + "/feed", settings=_settings()))
    assert len(arts) == 2


def test_fetch_retries_with_backoff_on_5xx(server):
    body = fetch(server + "/flaky", _settings())
    assert body == RSS and _Handler.calls["/flaky"] == 3
    _Handler.calls.clear()
    with pytest.raises(InputMissing, match="after 2 attempts"):
        fetch(server + "/flaky", _settings(feed_retries=1))


def test_fetch_times_out_and_does_not_retry_404(server):
    t = time.monotonic()
    with pytest.raises(InputMissing, match="timed out"):
        fetch(server + "/slow", _settings(feed_retries=1))
    assert time.monotonic() - t < 5
    with pytest.raises(InputMissing, match="HTTP 404"):
        fetch(server + "/missing", _settings())
    assert _Handler.calls["/missing"] == 1


def test_fetch_caps_the_body_size(server):
    with pytest.raises(InputTooLarge, match="over the limit"):
        fetch(server + "/huge", _settings(max_feed_bytes=10_000))
