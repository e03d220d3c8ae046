"""End to end: ``parley serve`` in a subprocess, Debian's Chromium driven by Playwright.

Screenshots land in $PARLEY_SCREENSHOTS (default: a parley-screenshots folder in the
system's temporary directory) as web-*.png; every page also gets an axe-core check.
Every page fixture fails the test on a JavaScript error or on any request to somewhere
other than the server.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import httpx
import pytest

from tests.helpers import shot

AXE = Path(__file__).parent / "resources" / "axe" / "axe.min.js"

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
                     "Confidence"):
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
    # the page marks the span once the click's hash change is handled: wait for it
    page.locator("#doc-text .focus").first.wait_for(timeout=5000)
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


# -- the workbench (issue 16) -----------------------------------------------------------

_PAIRS = [("Kenya", "Uganda"), ("Egypt", "Sudan"), ("Ghana", "Nigeria"), ("Chad", "Niger"),
          ("Zambia", "Malawi"), ("Angola", "Namibia")]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _long_report(n: int = 24) -> str:
    """``n`` one-event paragraphs: an event list far longer than the window."""
    verbs = ["accused {b} of backing rebels", "signed a trade agreement with {b}",
             "held talks with {b} in the capital", "sent food aid to {b}"]
    lines = []
    for i in range(n):
        a, b = _PAIRS[i % len(_PAIRS)]
        lines.append(f"{a} {verbs[i % len(verbs)].format(b=b)} on {_DAYS[i % 5]}, "
                     f"officials said.\nTrade between the two countries has grown since "
                     f"the border reopened, and more talks are planned.")
    return "\n".join(lines)


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    # (a sub-pixel offset from scrolling into view is still in view)
    return bool(box) and box["y"] >= -1 and box["y"] + min(box["height"], 80) <= height


def test_clicking_an_event_puts_its_detail_and_words_in_view(page):
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto("/code")
    page.get_by_test_id("code-text").fill(_long_report())
    page.get_by_test_id("code-published").fill("2024-03-08")
    page.get_by_test_id("code-submit").click()
    buttons = page.locator("button.ev")
    buttons.first.wait_for()
    assert buttons.count() >= 12  # a list longer than the window
    page.locator("#doc-text").scroll_into_view_if_needed()
    last = buttons.last
    last.scroll_into_view_if_needed()
    last.click()
    panel = page.get_by_test_id("event-panel")
    panel.get_by_test_id("event-fields").wait_for()
    assert _in_viewport(page, panel), panel.bounding_box()
    event_id = last.get_attribute("data-event")
    assert panel.locator("h3").inner_text().startswith(event_id + ":")
    # its trigger is scrolled into view and outlined, its sentence shaded (the mouse
    # leaves the list first: hovering another event previews that one instead)
    page.mouse.move(5, 5)
    trigger = page.locator(f'#doc-text [data-trigger~="{event_id}"]').first
    assert _in_viewport(page, trigger) and "sel" in trigger.get_attribute("class")
    assert page.locator("#doc-text .sent").count() > 0
    shot(page, "article-long-selected")
    # keyboard: up moves to the previous event and selects it
    page.keyboard.press("ArrowUp")
    previous = buttons.nth(buttons.count() - 2)
    assert previous.get_attribute("aria-pressed") == "true"
    assert last.get_attribute("aria-pressed") == "false"
    assert panel.locator("h3").inner_text().startswith(previous.get_attribute("data-event"))
    page.keyboard.press("Home")
    assert buttons.first.get_attribute("aria-pressed") == "true"
    assert _in_viewport(page, panel)
    _clean(page)


def test_article_page_shows_conflicts_first(page, ids):
    page.goto(f"/articles/{ids['articles']['nation-1']}")
    conflicts = page.get_by_test_id("conflicts")
    assert _in_viewport(page, conflicts)
    text_box = page.get_by_test_id("doc-text").bounding_box()
    assert conflicts.bounding_box()["y"] < text_box["y"]
    page.get_by_test_id("event-e1").click()
    assert _in_viewport(page, page.get_by_test_id("event-panel"))
    _clean(page)


def test_conflicts_page_shows_both_sides_of_the_date_conflict(page, ids):
    page.goto("/")
    page.get_by_test_id("counts").get_by_role("link", name="conflicts").click()
    page.wait_for_url("**/conflicts")
    page.get_by_test_id("conflict-filters").locator("select[name=kind]").select_option("date")
    page.get_by_test_id("conflict-filters").get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"kind=date"))
    cards = page.locator("li.conflict-card")
    assert cards.count() == 1
    sides = cards.first.locator("section.side")
    assert sides.count() == 2
    first, second = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2 and first["x"] < second["x"]  # side by side
    texts = [sides.nth(i).inner_text() for i in range(2)]
    tuesday = next(i for i, t in enumerate(texts) if "Tuesday" in t)
    wednesday = 1 - tuesday
    assert "Wednesday" in texts[wednesday]
    assert "2024-03-06" in texts[tuesday] and "2024-03-07" in texts[wednesday]
    assert sides.nth(tuesday).locator(".h-date").inner_text() == "Tuesday"
    shot(page, "conflicts")
    sides.nth(wednesday).get_by_role("link", name=re.compile("characters")).click()
    page.wait_for_url(re.compile(rf"/articles/{ids['articles']['monitor-7']}#span-"))
    assert "Wednesday" in "".join(page.locator("#doc-text .focus").all_inner_texts())
    _clean(page)


def test_map_shows_one_point_per_place_and_lists_its_events(page, server):
    page.goto("/map")
    svg = page.get_by_test_id("map")
    svg.wait_for()
    points = page.get_by_test_id("map-point")
    api = httpx.get(server + "/api/map").json()["points"]
    assert points.count() == len(api) == 2
    assert sorted(points.evaluate_all("els => els.map(e => e.dataset.place)")) == sorted(
        p["name"] for p in api)
    box = svg.bounding_box()
    assert box["width"] > 600 and box["height"] > 200
    shot(page, "map")
    page.locator('a.point[data-place="Nairobi"]').click()
    listed = page.get_by_test_id("place-events")
    listed.wait_for()
    assert "Nairobi" in page.get_by_test_id("place-title").inner_text()
    assert listed.locator("li").count() == next(p["events"] for p in api
                                                if p["name"] == "Nairobi")
    shot(page, "map-place")
    # the same filter as the events table: any factuality adds no place here
    page.goto("/map?factuality=any&type=CONSULT")
    assert page.get_by_test_id("map-point").count() == len(
        httpx.get(server + "/api/map", params={"factuality": "any",
                                                "type": "CONSULT"}).json()["points"])
    _clean(page)


def test_csv_download_equals_the_api_list(page, server):
    page.goto("/events?actor=USA&factuality=any")
    with page.expect_download() as info:
        page.get_by_test_id("download-csv").click()
    body = Path(info.value.path()).read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))
    listed = httpx.get(server + "/api/events", params={"actor": "USA", "factuality": "any",
                                                       "limit": 200}).json()["items"]
    assert rows and [int(r["id"]) for r in rows] == [e["id"] for e in listed]
    assert [r["type"] for r in rows] == [e["type"] for e in listed]
    assert [r["trigger"] for r in rows] == [e["trigger"] or "" for e in listed]
    _clean(page)


def test_events_table_text_filter_and_markers(page):
    page.goto("/events")
    form = page.get_by_test_id("event-filters")
    form.get_by_test_id("filter-q").fill("railway")
    form.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"q=railway"))
    rows = page.get_by_test_id("events-table").locator("tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("mark.h-trigger").inner_text() == "agreed"
    assert rows.first.get_by_role("link", name="disputed").count() == 1
    assert page.get_by_test_id("markers").is_visible()
    shot(page, "events-filtered")
    _clean(page)


def test_actor_pages(page):
    page.goto("/actors")
    page.get_by_test_id("actor-q").fill("united")
    page.get_by_test_id("actor-search").get_by_role("button", name="Search").click()
    page.get_by_role("link", name="United States").click()
    page.wait_for_url("**/actors/USA")
    assert "country:USA" in page.get_by_test_id("actor-fields").inner_text()
    assert page.get_by_test_id("counterparts").get_by_role("link", name="China").count() == 1
    shot(page, "actor")
    page.get_by_test_id("actor-events-link").click()
    page.wait_for_url(re.compile(r"/events\?actor=USA"))
    assert page.get_by_test_id("events-table").locator("tbody tr").count() >= 3
    _clean(page)


def test_dyad_picker_and_factuality(page):
    page.goto("/dyad")
    assert page.locator("#actor-choices option").count() >= 5
    # typing asks the API for matching participants
    page.get_by_test_id("dyad-a").press_sequentially("ugan")
    page.wait_for_function("() => Array.from(document.querySelectorAll('#actor-choices "
                           "option')).map(o => o.value).join() === 'UGA'")
    page.get_by_test_id("dyad-a").fill("USA")
    page.get_by_test_id("dyad-b").fill("CHN")
    page.get_by_test_id("dyad-form").get_by_role("button", name="Show").click()
    chart = page.get_by_test_id("dyad-chart")
    chart.wait_for()
    assert chart.locator("rect.bar").count() == 3
    assert page.get_by_test_id("dyad-factuality").input_value() == "asserted"
    page.get_by_test_id("dyad-factuality").select_option("negated")
    page.get_by_test_id("dyad-form").get_by_role("button", name="Show").click()
    page.get_by_test_id("no-events").wait_for()
    _clean(page)


def test_docs_load_with_the_network_blocked(browser, server):
    context = browser.new_context(base_url=server)
    blocked: list[str] = []

    def only_the_server(route) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_server)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto("/docs")
    pg.locator(".opblock").first.wait_for(timeout=15000)
    assert pg.locator(".opblock").count() >= 10
    assert "/api/events" in pg.locator("#swagger-ui").inner_text()
    shot(pg, "docs")
    assert blocked == [] and errors == []
    context.close()


PAGES = ["/", "/events", "/events?factuality=any&sort=score", "/articles", "/conflicts",
         "/actors", "/actors/USA", "/map", "/dyad", "/dyad?a=USA&b=CHN&by=month", "/code",
         "/docs", "/events/{deal}", "/articles/{nation}"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_serious_accessibility_violations(browser, server, ids, path):
    """axe-core (vendored in tests/http/resources/axe) on every page; the CSP of the
    pages forbids injected scripts, so this context bypasses it."""
    url = path.format(deal=ids["deal"], nation=ids["articles"]["nation-1"])
    context = browser.new_context(base_url=server, bypass_csp=True,
                                  viewport={"width": 1280, "height": 860})
    pg = context.new_page()
    pg.goto(url)
    if path == "/docs":
        pg.locator(".opblock").first.wait_for(timeout=15000)
    pg.add_script_tag(path=str(AXE))
    result = pg.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"][:3]])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    slug = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "index"
    shot(pg, f"page-{slug}")
    context.close()
    assert serious == [], serious
