"""End to end: ``parley serve`` in a subprocess, Debian's Chromium driven by Playwright.

Screenshots land in test-artifacts/web-*.png. Every page fixture fails the test on a
JavaScript error or on any request to somewhere other than the server.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import shot

pytestmark = pytest.mark.browser


def _clean(page) -> None:
    assert page.problems == [], page.problems


def test_index_links_to_articles_and_dyads(page):
    page.goto("/")
    assert page.get_by_test_id("counts").inner_text().startswith("7")
    page.get_by_role("link", name="CHN – USA").click()
    page.wait_for_url(re.compile(r"/dyad\?a=CHN&b=USA"))
    shot(page, "index-to-dyad")
    page.goto("/")
    shot(page, "index")
    _clean(page)


def test_article_view_click_an_event_to_see_its_fields(page, ids):
    page.goto(f"/articles/{ids['articles']['nation-1']}")
    panel = page.get_by_test_id("event-panel")
    assert "Click an event" in panel.inner_text()
    page.get_by_test_id("event-e1").click()
    fields = panel.get_by_test_id("event-fields")
    fields.wait_for()
    text = fields.inner_text()
    for expected in ("AGREE", "asserted", "Kenya — participant, KEN",
                     "Uganda — participant, UGA", "2024-03-05 (day)", "“Tuesday”", "Nairobi",
                     "0.54"):
        assert expected in text, (expected, text)
    assert page.get_by_test_id("event-e1").get_attribute("aria-pressed") == "true"
    # the event's trigger, date, place and participants are highlighted in the text
    selected = page.locator("#doc-text .sel").all_inner_texts()
    assert {"agreed", "Tuesday", "Kenya", "Uganda"} <= set(selected)
    assert page.locator("#doc-text .sent").count() > 0
    shot(page, "article-event-selected")
    # the fused event link in the panel opens the event page
    panel.get_by_role("link", name=f"#{ids['deal']}").click()
    page.wait_for_url(f"**/events/{ids['deal']}")
    assert page.get_by_test_id("sources").locator("blockquote").count() == 2
    shot(page, "event")
    _clean(page)


def test_article_view_conflict_links_focus_the_other_reports_span(page, ids):
    page.goto(f"/articles/{ids['articles']['nation-1']}")
    conflicts = page.get_by_test_id("conflicts")
    conflicts.get_by_role("link", name="Railway deal struck").click()
    page.wait_for_url(re.compile(rf"/articles/{ids['articles']['monitor-7']}#span-\d+-\d+$"))
    focused = "".join(page.locator("#doc-text .focus").all_inner_texts())
    assert "agreed on Wednesday" in focused
    shot(page, "article-conflict-focus")
    # within a document: both sides of the participants conflict are anchors here
    page.goto(f"/articles/{ids['articles']['herald-9']}")
    links = page.locator("a.side-link.here")
    assert links.count() >= 2
    links.nth(1).click()
    assert page.locator("#doc-text .focus").count() > 0
    shot(page, "article-document-conflict")
    _clean(page)


def test_events_table_sorts_and_filters(page):
    page.goto("/events")
    page.get_by_test_id("sort-sources").click()
    page.wait_for_url(re.compile(r"sort=sources&dir=desc"))
    first = page.get_by_test_id("events-table").locator("tbody tr").first
    assert first.locator("a.src").count() == 2
    form = page.get_by_test_id("event-filters")
    form.locator("input[name=actor]").fill("USA, CHN")
    form.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"actor=USA"))
    assert page.get_by_test_id("events-table").locator("tbody tr").count() == 3
    shot(page, "events")
    _clean(page)


def test_dyad_page_draws_a_chart_with_bars(page):
    page.goto("/dyad?a=USA&b=CHN&by=month")
    chart = page.get_by_test_id("dyad-chart")
    chart.wait_for()
    assert chart.evaluate("el => el.tagName") == "svg"
    bars = chart.locator("rect.bar")
    assert bars.count() == 3
    box = bars.first.bounding_box()
    assert box and box["height"] > 10 and box["width"] > 5
    assert chart.locator("polyline.score-line").count() == 1
    shot(page, "dyad")
    bars.last.click()
    page.wait_for_url(re.compile(r"#p-2024-03-01$"))
    assert "SANCTION" in page.locator("#p-2024-03-01").inner_text()
    _clean(page)


def test_paste_and_code_shows_the_event(page):
    page.goto("/code")
    page.get_by_test_id("code-text").fill(
        "CAIRO — Egypt and Qatar held talks in Cairo on Monday on a ceasefire, "
        "officials said.\nRead more: Stocks rise in Asia")
    page.get_by_test_id("code-published").fill("2024-03-08")
    page.get_by_test_id("code-submit").click()
    page.get_by_test_id("event-e1").wait_for()
    page.get_by_test_id("event-e1").click()
    text = page.get_by_test_id("event-panel").inner_text()
    assert "CONSULT" in text and "Egypt" in text and "Qatar" in text and "2024-03-04" in text
    assert page.locator("#doc-text .h-removed").inner_text().startswith("Read more")
    shot(page, "code-result")
    _clean(page)


def test_stored_script_renders_inert(page, ids):
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(f"/articles/{ids['articles']['hostile-1']}", wait_until="load")
    page.get_by_test_id("event-e1").click()  # run app.js over the hostile text too
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("window.__xss") is None
    body = page.locator("body").inner_text()
    assert "<script>window.__xss=1;alert(1)</script>" in body
    assert '<img src=x onerror="window.__xss=2">' in body
    assert page.locator("#doc-text script, #doc-text img").count() == 0
    assert "<script>alert(2)</script>" in page.locator("h1").inner_text()
    assert page.locator("a[href^='javascript:']").count() == 0
    shot(page, "xss-inert")
    _clean(page)
