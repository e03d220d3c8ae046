"""The HTML pages in-process: what they show, how they escape, how they fail."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.helpers import REPORTS, XSS


def _data_block(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="doc-data">(.*?)</script>', page, re.S)
    assert m, "no JSON data block"
    return json.loads(m.group(1))


def _text_of(page: str) -> str:
    """The article text as the browser shows it (tags dropped, entities decoded)."""
    m = re.search(r'<div class="doc-text" id="doc-text"[^>]*>(.*?)</div>', page, re.S)
    assert m
    return html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))


def test_index_shows_counts_recent_articles_and_top_dyads(client):
    page = client.get("/").text
    assert f"<strong>{len(REPORTS)}</strong> articles" in page
    assert 'href="/articles/' in page
    assert 'href="/dyad?a=CHN&amp;b=USA&amp;by=month"' in page


def test_article_view_marks_every_kind_of_span(client, ids):
    aid = ids["articles"]["nation-1"]
    r = client.get(f"/articles/{aid}")
    assert r.status_code == 200
    page = r.text
    assert _text_of(page) == REPORTS[0]["text"]  # every character, once, in order
    assert re.search(r'class="h-trigger"[^>]*data-trigger="e1"[^>]*>agreed<', page)
    assert re.search(r'class="h-actor"[^>]*data-actor="a\d+"[^>]*>Kenya<', page)
    assert re.search(r'class="h-date"[^>]*data-date="e1"[^>]*>Tuesday<', page)
    assert re.search(r'class="h-removed"[^>]*>Also Read: Celebrity chef', page)
    assert re.search(r'class="[^"]*h-dateline[^"]*"[^>]*>NAIROBI', page)
    assert 'data-testid="event-e1"' in page and 'data-testid="event-panel"' in page
    data = _data_block(page)
    e1 = data["events"]["e1"]
    assert e1["type"] == "AGREE" and e1["fused"] == ids["deal"]
    assert {p["country"] for p in e1["participants"]} == {"KEN", "UGA"}
    # the cross-report date conflict links to the span in the other article
    other = ids["articles"]["monitor-7"]
    assert re.search(rf'href="/articles/{other}#span-\d+-\d+"', page)


def test_document_conflict_anchors_its_spans_in_the_text(client, ids):
    page = client.get(f"/articles/{ids['articles']['herald-9']}").text
    links = re.findall(r'href="#(span-\d+-\d+)" class="side-link here"', page)
    assert len(links) >= 2
    for anchor in links:
        assert f'<a class="anchor" id="{anchor}"></a>' in page


def test_article_text_is_escaped_never_markup(client, ids):
    page = client.get(f"/articles/{ids['articles']['hostile-1']}").text
    assert "<script>window.__xss" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;" in page
    assert "Border row &lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert _text_of(page).startswith(XSS)
    # the javascript: URL is shown, not linked
    assert 'href="javascript:' not in page
    # the JSON data block cannot close its <script> element
    block = re.search(r'id="doc-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block


def test_events_table_filters_sorts_and_links(client, ids):
    page = client.get("/events", params={"actor": "USA, CHN", "sort": "date"}).text
    rows = re.findall(r'<td class="num"><a href="/events/(\d+)">', page)
    assert len(rows) == 3
    assert 'data-testid="sort-score"' in page
    # newest first by default, so the date header offers oldest first
    assert re.search(r'href="/events\?actor=USA%2C\+CHN&amp;sort=date&amp;dir=asc"', page)
    by_score = client.get("/events", params={"sort": "score", "dir": "desc"}).text
    assert 'aria-sort="descending"' in by_score
    deal_sources = re.search(rf'href="/events/{ids["deal"]}">.*?</tr>', by_score, re.S).group(0)
    assert len(re.findall(r'href="/articles/\d+"', deal_sources)) == 2


def test_events_table_shows_bad_filters_next_to_the_form(client):
    r = client.get("/events", params={"since": "March", "type": "HUG"})
    assert r.status_code == 422
    assert "is not a date (YYYY-MM-DD)" in r.text and "is not a PLOVER type" in r.text
    assert 'data-testid="event-filters"' in r.text


def test_event_page_quotes_sources_and_conflicts(client, ids):
    page = client.get(f"/events/{ids['deal']}").text
    assert page.count('<blockquote class="evidence">') == 2
    assert '<mark class="h-trigger">agreed</mark>' in page
    assert "Wednesday" in page and "Tuesday" in page
    assert 'data-testid="conflicts"' in page


def test_dyad_page_draws_the_series_as_svg(client):
    page = client.get("/dyad", params={"a": "USA", "b": "CHN", "by": "month"}).text
    svg = re.search(r'<svg class="chart" data-testid="dyad-chart".*?</svg>', page, re.S).group(0)
    bars = re.findall(r'<rect class="bar q(\d)"', svg)
    assert sorted(bars) == ["1", "3", "4"]
    assert svg.count("<circle") == 3 and "<polyline" in svg
    for label in ("Jan 2024", "Feb", "Mar"):
        assert f">{label}</text>" in svg
    for month in ("2024-01-01", "2024-02-01", "2024-03-01"):
        assert f'href="#p-{month}"' in svg and f'id="p-{month}"' in page


def test_dyad_page_without_events_or_with_a_bad_period(client):
    assert 'data-testid="no-events"' in client.get("/dyad", params={"a": "USA",
                                                                    "b": "KEN"}).text
    assert client.get("/dyad", params={"a": "USA", "b": "CHN", "by": "year"}).status_code == 422
    assert "dyad-chart" not in client.get("/dyad").text


def test_code_page_codes_pasted_text(client):
    form = client.get("/code").text
    assert 'name="token"' not in form
    r = client.post("/code", data={"text": "Egypt and Qatar held talks in Cairo on Monday.",
                                   "published": "2024-03-08"})
    assert r.status_code == 200
    assert 'data-testid="event-e1"' in r.text and "CONSULT" in r.text
    assert _data_block(r.text)["events"]["e1"]["date"]["value"] == "2024-03-04"


@pytest.mark.parametrize(("data", "status", "message"), [
    ({"text": "   "}, 422, "empty"),
    ({"text": "Talks.", "published": "8 March"}, 422, "not a date"),
    ({"text": "a" * 200_001}, 413, "over the limit"),
])
def test_code_page_reports_bad_input(client, data, status, message):
    r = client.post("/code", data=data)
    assert r.status_code == status and message in r.text


def test_code_page_asks_for_the_token_when_set(make_client, monkeypatch):
    monkeypatch.setenv("PARLEY_TOKEN", "form-token")
    c = make_client()
    assert 'name="token"' in c.get("/code").text
    text = "Kenya accused Uganda on Monday of violating the border."
    assert c.post("/code", data={"text": text}).status_code == 401
    assert c.post("/code", data={"text": text, "token": "nope"}).status_code == 401
    ok = c.post("/code", data={"text": text, "token": "form-token"})
    assert ok.status_code == 200 and 'data-testid="event-e1"' in ok.text


def test_missing_and_malformed_pages(client):
    r = client.get("/articles/424242")
    assert r.status_code == 404 and "no article 424242" in r.text.lower()
    assert client.get("/events/abc").status_code == 422
    assert client.get("/articles", params={"offset": -5}).status_code == 422


def test_static_assets_are_served_and_pages_load_nothing_else(client):
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200
    page = client.get("/").text
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert not url.startswith(("http:", "https:", "//")), url
    assert "<script>" not in page  # no inline script anywhere


# -- the workbench pages (issue 16) -----------------------------------------------------

def test_events_table_is_newest_first_with_evidence_and_explained_markers(client, ids):
    page = client.get("/events").text
    shown = [int(i) for i in re.findall(r'data-event-id="(\d+)"', page)]
    api = client.get("/api/events", params={"limit": 200}).json()["items"]
    assert shown == [e["id"] for e in api]  # the same default order as the API
    dates = [e["ref_date"] for e in api]
    assert dates == sorted(dates, reverse=True)
    row = re.search(rf'data-event-id="{ids["deal"]}">.*?</tr>', page, re.S).group(0)
    assert '<mark class="h-trigger">agreed</mark>' in row and "railway" in row
    assert f'href="/conflicts?event={ids["deal"]}"' in row  # the disputed marker
    assert 'data-testid="markers"' in page and "the reports behind the event disagree" in page
    assert 'href="/api/events.csv"' in page and 'href="/api/events.parquet"' in page


def test_events_table_download_links_carry_the_filter(client):
    page = client.get("/events", params={"actor": "USA", "q": "talks",
                                         "factuality": "any", "offset": 0}).text
    link = html.unescape(re.search(r'href="(/api/events\.csv[^"]*)"', page).group(1))
    assert link == "/api/events.csv?actor=USA&q=talks&factuality=any"
    page = client.get("/events", params={"disputed": "maybe", "factuality": "perhaps"})
    assert page.status_code == 422
    text = html.unescape(page.text)
    assert "disputed: 'maybe'" in text and "factuality: 'perhaps'" in text


def test_conflicts_page_quotes_both_accounts_side_by_side(client, ids):
    page = client.get("/conflicts", params={"kind": "date"}).text
    card = re.search(r'<li class="conflict-card".*?</li>\s*(?=<li class="conflict-card"|</ol>)',
                     page, re.S).group(0)
    sides = re.findall(r'<section class="side".*?</section>', card, re.S)
    assert len(sides) == 2
    text = html.unescape(re.sub(r"<[^>]+>", "", " ".join(sides)))
    assert "Tuesday" in text and "Wednesday" in text
    assert "Kenya, Uganda agree on railway" in text and "Railway deal struck" in text
    assert "published 2024-03-06" in text and "published 2024-03-07" in text
    assert re.search(r'class="h-date"[^>]*>Tuesday<', card)  # the spans highlighted
    assert f'href="/events/{ids["deal"]}"' in card
    assert client.get("/conflicts", params={"actor": "SOM"}).text.count(
        'class="conflict-card"') == 1
    assert client.get("/conflicts", params={"since": "soon"}).status_code == 422


def test_article_page_lists_conflicts_before_the_text(client, ids):
    page = client.get(f"/articles/{ids['articles']['nation-1']}").text
    assert page.index('data-testid="conflicts"') < page.index('data-testid="doc-text"')
    assert page.index('data-testid="event-panel"') < page.index('data-testid="event-e1"')


def test_actors_pages(client):
    page = client.get("/actors", params={"q": "ugan"}).text
    assert 'href="/actors/UGA"' in page and "Kenya" not in page
    actor = client.get("/actors/USA")
    assert actor.status_code == 200
    fields = re.search(r'data-testid="actor-fields".*?</dl>', actor.text, re.S).group(0)
    assert "country:USA" in fields and ">USA<" in fields
    assert 'href="/actors/CHN"' in actor.text and 'data-testid="dyad-chart"' in actor.text
    assert re.search(r'href="/events\?actor=USA&amp;type=SANCTION', actor.text)
    assert client.get("/actors/No%20such%20actor").status_code == 404


def test_map_page_draws_one_point_per_place(client):
    page = client.get("/map").text
    places = re.findall(r'<a href="[^"]*" class="point" data-place="([^"]*)"', page)
    api = client.get("/api/map").json()["points"]
    assert sorted(places) == sorted(p["name"] for p in api) and len(places) == 2
    assert 'class="land" d="M' in page
    assert len(client.get("/map", params={"place": "Beijing"}).text.split('class="point"')) == 2
    assert client.get("/map", params={"since": "tomorrow"}).status_code == 422


def test_dyad_page_offers_pairs_and_filters_factuality(client):
    empty = client.get("/dyad").text
    assert '<datalist id="actor-choices">' in empty and '<option value="USA">' in empty
    assert 'data-testid="dyad-pairs"' in empty
    page = client.get("/dyad", params={"a": "USA", "b": "CHN", "factuality": "negated"})
    assert page.status_code == 200 and 'data-testid="no-events"' in page.text
    assert client.get("/dyad", params={"a": "USA", "b": "CHN",
                                       "factuality": "maybe"}).status_code == 422


def test_home_page_dyad_counts_match_the_page_they_link_to(client):
    page = client.get("/").text
    rows = re.findall(r'<a href="/dyad\?a=(\w+)&amp;b=(\w+)&amp;by=month">[^<]*</a></td>\s*'
                      r'<td class="num"><a [^>]*>(\d+)</a>', page)
    assert rows
    for a, b, n in rows:
        dyad = client.get("/api/dyad", params={"a": a, "b": b}).json()
        assert sum(p["total"] for p in dyad["periods"]) == int(n), (a, b)
