"""The JSON API in-process (TestClient) over the real store of tests/web/conftest.py."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from tests.helpers import REPORTS, XSS


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) >= {"error", "message"} and body["message"]
    return body


def test_articles_are_paginated_with_event_counts(client):
    first = client.get("/api/articles", params={"limit": 3}).json()
    assert first["total"] == len(REPORTS)
    assert [a["id"] for a in first["items"]] == [1, 2, 3]
    assert first["next_offset"] == 3
    rest = client.get("/api/articles", params={"limit": 3, "offset": 3}).json()
    last = client.get("/api/articles", params={"limit": 3, "offset": 6}).json()
    assert [a["id"] for a in rest["items"]] == [4, 5, 6] and rest["next_offset"] == 6
    assert len(last["items"]) == 1 and last["next_offset"] is None
    deal = first["items"][0]
    assert deal["doc_id"] == "nation-1" and deal["published"] == "2024-03-06"
    assert deal["url"] == REPORTS[0]["url"] and deal["events"] >= 1


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"offset": -1},
                                    {"limit": "ten"}])
def test_bad_pagination_is_a_422(client, params):
    body = _error(client.get("/api/articles", params=params), 422)
    assert body["error"] == "invalid_request" and body["detail"]


def test_article_is_the_stored_document(client, ids):
    aid = ids["articles"]["nation-1"]
    doc = client.get(f"/api/articles/{aid}").json()
    assert doc["id"] == "nation-1" and doc["text"] == REPORTS[0]["text"]
    assert doc["dateline"]["place"] == "Nairobi"
    assert [r["text"] for r in doc["removed"]] == [
        "Also Read: Celebrity chef opens new restaurant in Paris"]
    agree = next(e for e in doc["events"] if e["type"] == "AGREE")
    trigger = agree["mentions"][0]["trigger"]
    assert doc["text"][trigger["start"]:trigger["end"]] == "agreed"


@pytest.mark.parametrize("path", ["/api/articles/999", "/api/events/999"])
def test_missing_ids_are_404(client, path):
    assert _error(client.get(path), 404)["error"] == "not_found"


@pytest.mark.parametrize("path", ["/api/articles/abc", "/api/articles/0", "/api/events/-3",
                                  "/api/events/99999999999999999999"])
def test_bad_ids_are_422(client, path):
    _error(client.get(path), 422)


def test_events_filter_like_parley_events(client):
    def ids_of(**params):
        body = client.get("/api/events", params=params).json()
        return {e["id"] for e in body["items"]}, body

    everything, body = ids_of(limit=200)
    assert body["total"] == len(everything) >= 6
    pair, _ = ids_of(actor=["USA", "china"])
    types = {e["type"] for e in body["items"] if e["id"] in pair}
    assert types == {"CONSULT", "ACCUSE", "SANCTION"}
    agree, body = ids_of(type="agree")  # case-insensitive, like the CLI
    assert {e["type"] for e in body["items"]} == {"AGREE"}
    several, _ = ids_of(type=["AGREE", "SANCTION"])
    assert agree < several
    march, body = ids_of(since="2024-03-01", until="2024-03-31")
    assert all("2024-03-01" <= e["ref_date"] <= "2024-03-31" for e in body["items"])
    assert march and pair - march
    reported, body = ids_of(factuality="reported")
    assert all(e["factuality"] == "reported" for e in body["items"])


def test_events_pagination_and_sorting(client):
    page = client.get("/api/events", params={"limit": 2}).json()
    assert len(page["items"]) == 2 and page["next_offset"] == 2
    newest = [e["ref_date"] for e in client.get("/api/events").json()["items"]]
    assert newest == sorted(newest, reverse=True)  # newest first by default
    oldest = [e["ref_date"] for e in client.get("/api/events", params={"dir": "asc"}
                                                ).json()["items"]]
    assert oldest == sorted(oldest)
    by_sources = client.get("/api/events", params={"sort": "sources", "dir": "desc"}).json()
    assert by_sources["items"][0]["source_count"] == 2
    scores = [e["score"] for e in client.get(
        "/api/events", params={"sort": "score", "dir": "asc"}).json()["items"]]
    assert scores == sorted(scores)


@pytest.mark.parametrize("params", [
    {"since": "2024-3-1"}, {"since": "yesterday"}, {"until": "2024-02-30"},
    {"since": "1700000000"}, {"type": "HUG"}, {"factuality": "maybe"}, {"sort": "title"},
    {"dir": "up"}, {"actor": "USA,\x00"}, {"type": "AGREE,HUG"}, {"factuality": "asserted,maybe"},
    {"disputed": "perhaps"}])
def test_bad_event_filters_are_422_with_a_clear_message(client, params):
    body = _error(client.get("/api/events", params=params), 422)
    name = next(iter(params))
    assert name in body["message"]


def test_event_detail_quotes_the_evidence_of_each_source(client, ids):
    detail = client.get(f"/api/events/{ids['deal']}").json()
    assert detail["event"]["source_count"] == 2
    assert {p["key"] for p in detail["event"]["participants"]} == {"KEN", "UGA"}
    texts = {r["id"]: r["text"] for r in REPORTS}
    by_id = {v: k for k, v in ids["articles"].items()}
    assert {by_id[s["article_id"]] for s in detail["sources"]} == {"nation-1", "monitor-7"}
    for src in detail["sources"]:
        text = texts[by_id[src["article_id"]]]
        for m in src["mentions"]:
            for q in (m["sentence"], m["trigger"]):
                assert q["text"] == text[q["start"]:q["end"]]
            assert m["trigger"]["text"] == "agreed"
    # the two reports give different days: a conflict, with a quote from each side
    conflict = next(c for c in detail["conflicts"] if c["kind"] == "date")
    assert conflict["scope"] == "reports"
    quotes = " ".join(q["text"] for q in conflict["evidence"])
    assert "Tuesday" in quotes and "Wednesday" in quotes


def test_actors_with_counts_and_a_filter(client):
    body = client.get("/api/actors").json()
    keys = {a["key"]: a for a in body["items"]}
    assert keys["CHN"]["events"] >= 3 and keys["CHN"]["name"] == "China"
    found = client.get("/api/actors", params={"q": "ugan"}).json()["items"]
    assert [a["key"] for a in found] == ["UGA"]
    assert client.get("/api/actors", params={"q": "%"}).json()["items"] == []


def test_dyad_series_names_the_events_behind_each_period(client):
    body = client.get("/api/dyad", params={"a": "USA", "b": "CHN", "by": "month"}).json()
    months = {p["start"]: p for p in body["periods"]}
    assert list(months) == ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert months["2024-01-01"]["verbal_cooperation"] == 1
    assert months["2024-03-01"]["material_conflict"] == 1
    assert months["2024-03-01"]["mean_score"] < 0 < months["2024-01-01"]["mean_score"]
    for p in body["periods"]:
        assert len(p["events"]) == p["total"]
        for eid in p["events"]:
            parties = client.get(f"/api/events/{eid}").json()["event"]["participants"]
            assert {"USA", "CHN"} <= {x["key"] for x in parties}
    empty = client.get("/api/dyad", params={"a": "USA", "b": "KEN"}).json()
    assert empty["periods"] == []
    _error(client.get("/api/dyad", params={"a": "USA", "b": "CHN", "by": "year"}), 422)
    _error(client.get("/api/dyad", params={"a": "USA"}), 422)


def test_conflicts_are_listed_with_quotes(client):
    body = client.get("/api/conflicts").json()
    kinds = {(c["scope"], c["kind"]) for c in body["items"]}
    assert ("reports", "date") in kinds
    assert ("document", "participants") in kinds
    for c in body["items"]:
        assert all(q["text"] for q in c["evidence"])
    assert client.get("/api/conflicts", params={"limit": 1}).json()["next_offset"] == 1


def test_code_returns_the_document_without_storing_it(client):
    before = client.get("/api/articles").json()["total"]
    r = client.post("/api/code", json={
        "text": "Egypt and Qatar held talks in Cairo on Monday.", "published": "2024-03-08",
        "title": "Talks"})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["title"] == "Talks"
    event = next(e for e in doc["events"] if e["type"] == "CONSULT")
    assert event["date"]["value"] == "2024-03-04"
    assert client.get("/api/articles").json()["total"] == before


def test_code_reads_html_when_asked(client, monkeypatch):
    monkeypatch.setenv("PARLEY_MIN_CONFIDENCE", "0")  # the deal, whatever its confidence
    page = ("<html><head><title>Deal</title></head><body><article><p>Kenya and Uganda "
            "agreed on Tuesday to build a railway, officials said.</p></article></body>"
            "</html>")
    doc = client.post("/api/code", json={"text": page, "html": True,
                                         "published": "2024-03-06"}).json()
    assert "<p>" not in doc["text"] and any(e["type"] == "AGREE" for e in doc["events"])


@pytest.mark.parametrize("body", [{"text": "   "}, {"text": "x", "published": "08/03/2024"},
                                  {"text": "x", "extra": 1}, {}, {"text": 5}])
def test_code_rejects_bad_input_with_422(client, body):
    _error(client.post("/api/code", json=body), 422)


def test_code_refuses_over_200000_characters_with_413(client):
    body = _error(client.post("/api/code", json={"text": "a" * 200_001}), 413)
    assert "200,000" in body["message"]


def test_bodies_over_1_mib_are_refused_before_parsing(client):
    blob = json.dumps({"text": "b" * 1_100_000}).encode()
    r = client.post("/api/code", content=blob, headers={"content-type": "application/json"})
    assert _error(r, 413)["error"] == "too_large"

    def chunks():  # no Content-Length: the limit counts what arrives
        for _ in range(20):
            yield b"x" * 100_000

    r = client.post("/api/code", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_token_guards_post_when_set(make_client, monkeypatch):
    monkeypatch.setenv("PARLEY_TOKEN", "s3cret-token")
    c = make_client()
    body = {"text": "Egypt and Qatar held talks in Cairo on Monday."}
    r = c.post("/api/code", json=body)
    assert _error(r, 401)["error"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"
    _error(c.post("/api/code", json=body, headers={"Authorization": "Bearer wrong"}), 401)
    _error(c.post("/api/code", json=body, headers={"Authorization": "Basic s3cret-token"}),
           401)
    _error(c.post("/api/code", json=body,
                  headers={"Authorization": "Bearer s3cr\xe9t".encode("latin-1")}), 401)
    ok = c.post("/api/code", json=body, headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200
    # reading stays open
    assert c.get("/api/articles").status_code == 200


def test_without_token_post_needs_no_header(make_client, monkeypatch):
    monkeypatch.delenv("PARLEY_TOKEN", raising=False)
    r = make_client().post("/api/code", json={"text": "Kenya accused Uganda on Monday."})
    assert r.status_code == 200


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/articles", "/static/app.js", "/nope"):
        r = client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff"
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp and "default-src 'none'" in csp


def test_unknown_api_paths_answer_json_and_pages_answer_html(client):
    assert _error(client.get("/api/nothing"), 404)["error"] == "not_found"
    page = client.get("/nothing")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert _error(client.delete("/api/articles"), 405)["error"] == "method_not_allowed"


def test_hostile_article_is_served_as_data(client, ids):
    doc = client.get(f"/api/articles/{ids['articles']['hostile-1']}").json()
    assert doc["text"].startswith(XSS)


# -- the workbench additions (issue 16) -------------------------------------------------

@pytest.mark.parametrize(("method", "path", "status"), [
    ("get", "/api/nothing", 404), ("get", "/api/events/999", 404),
    ("delete", "/api/articles", 405), ("get", "/api/events/1.0", 422),
    ("get", "/api/events", 422)])
def test_every_api_error_has_a_detail_list(client, method, path, status):
    params = {"since": "soon"} if path == "/api/events" else None
    body = _error(getattr(client, method)(path, params=params), status)
    assert isinstance(body["detail"], list) and body["detail"]
    for entry in body["detail"]:
        assert set(entry) == {"loc", "msg", "type"} and entry["msg"]


def test_too_large_bodies_have_a_detail_too(client):
    blob = json.dumps({"text": "b" * 1_100_000}).encode()
    body = _error(client.post("/api/code", content=blob,
                              headers={"content-type": "application/json"}), 413)
    assert body["detail"] == [{"loc": ["body"], "msg": body["message"], "type": "too_large"}]


@pytest.mark.parametrize("value", ["1.0", "+1", "1e0", "0x1", " 1", "\u0661"])
def test_ids_are_digits_only(client, ids, value):
    for path in (f"/api/events/{value}", f"/api/articles/{value}"):
        body = _error(client.get(path), 422)
        assert body["detail"][0]["loc"][0] == "path"
    assert client.get(f"/events/{value}").status_code == 422  # the pages too


def test_list_parameters_split_on_commas_like_the_pages(client):
    def ids_of(**params):
        return [e["id"] for e in client.get("/api/events", params=params).json()["items"]]

    both = ids_of(actor=["USA", "CHN"])
    assert both and ids_of(actor="USA,CHN") == both == ids_of(actor="USA, CHN")
    assert ids_of(type="AGREE,SANCTION") == ids_of(type=["AGREE", "SANCTION"])
    assert ids_of(factuality="asserted,reported") == ids_of(factuality=["asserted", "reported"])
    # the events page reads actor=USA,CHN as the same two actors
    page = client.get("/events", params={"actor": "USA,CHN"}).text
    assert re.findall(r'data-event-id="(\d+)"', page) == [str(i) for i in both]


def test_factuality_is_asserted_unless_asked(client):
    def facts(**params):
        return {e["factuality"] for e in client.get(
            "/api/events", params=params).json()["items"]}

    assert facts() == {"asserted"}
    assert "reported" in facts(factuality="any")
    assert facts(factuality="reported") == {"reported"}


def test_token_is_checked_before_the_body(make_client, monkeypatch):
    monkeypatch.setenv("PARLEY_TOKEN", "t0ken")
    c = make_client()
    for kwargs in ({"content": b"{not json", "headers": {"content-type": "application/json"}},
                   {"json": {"unknown": 1}},
                   {"content": json.dumps({"text": "b" * 1_100_000}).encode(),
                    "headers": {"content-type": "application/json"}}):
        r = c.post("/api/code", **kwargs)
        assert _error(r, 401)["error"] == "unauthorized", kwargs.get("json")
        assert r.headers["www-authenticate"] == "Bearer"
    good = {"Authorization": "Bearer t0ken"}
    assert c.post("/api/code", json={"unknown": 1}, headers=good).status_code == 422


def test_event_filters_by_place_disputed_and_text(client, ids):
    def ids_of(**params):
        body = client.get("/api/events", params={"factuality": "any", **params}).json()
        return {e["id"] for e in body["items"]}

    assert ids["deal"] in ids_of(place="nairobi") and ids_of(place="nairobi") == ids_of(
        place="KEN") | (ids_of(place="nairobi") & ids_of(place="KEN"))
    assert ids_of(place="Beijing") and not ids_of(place="Beijing") & ids_of(place="Nairobi")
    disputed = ids_of(disputed="true")
    assert ids["deal"] in disputed and not disputed & ids_of(disputed="false")
    assert ids_of(q="railway") >= {ids["deal"]}  # words of the evidence sentence
    assert ids_of(q="Treasury") and ids_of(q="treasury") == ids_of(q="Treasury")
    assert ids_of(q="%") == set() and ids_of(q="no such words anywhere") == set()


def test_event_items_carry_their_trigger_and_evidence(client, ids):
    items = client.get("/api/events", params={"limit": 200}).json()["items"]
    deal = next(e for e in items if e["id"] == ids["deal"])
    assert deal["trigger"] == "agreed"
    assert "railway" in deal["evidence"]["text"]
    assert deal["trigger"] in deal["evidence"]["text"]


@pytest.mark.parametrize("params", [{}, {"factuality": "any", "sort": "score", "dir": "asc"},
                                    {"actor": "USA,CHN"}, {"place": "Nairobi"}])
def test_csv_download_is_the_api_list_of_the_same_filter(client, params):
    listed = client.get("/api/events", params={**params, "limit": 200}).json()["items"]
    r = client.get("/api/events.csv", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [int(row["id"]) for row in rows] == [e["id"] for e in listed]
    for row, e in zip(rows, listed, strict=True):
        assert row["type"] == e["type"] and row["factuality"] == e["factuality"]
        assert row["ref_date"] == (e["ref_date"] or "")
        assert row["trigger"] == (e["trigger"] or "")
        assert row["evidence"] == (e["evidence"]["text"] if e["evidence"] else "")


def test_parquet_download_holds_the_same_rows(client):
    import pyarrow.parquet as pq

    r = client.get("/api/events.parquet", params={"factuality": "any"})
    assert r.status_code == 200
    table = pq.read_table(io.BytesIO(r.content))
    listed = client.get("/api/events", params={"factuality": "any", "limit": 200}).json()
    assert table.column("id").to_pylist() == [str(e["id"]) for e in listed["items"]]
    _error(client.get("/api/events.parquet", params={"since": "never"}), 422)


def test_map_points_are_one_per_geolocated_place(client):
    body = client.get("/api/map").json()
    events = client.get("/api/events", params={"limit": 200}).json()["items"]
    places = {(e["place_name"], e["lat"], e["lon"]) for e in events if e["lat"] is not None}
    assert {(p["name"], p["lat"], p["lon"]) for p in body["points"]} == places
    assert len(body["points"]) == len(places)
    assert body["events"] == sum(1 for e in events if e["lat"] is not None)
    nairobi = next(p for p in body["points"] if p["name"] == "Nairobi")
    assert nairobi["events"] == sum(
        nairobi[k] for k in ("verbal_cooperation", "material_cooperation", "verbal_conflict",
                             "material_conflict"))


def test_actor_profile(client):
    usa = client.get("/api/actors/USA").json()
    assert usa["name"] == "United States" and usa["country"] == "USA"
    assert "country:USA" in usa["kb_ids"]
    assert {c["key"] for c in usa["counterparts"]} >= {"CHN"}
    assert usa["first_seen"] <= usa["last_seen"]
    assert sum(t["events"] for t in usa["by_type"]) == usa["events"] == sum(
        m["total"] for m in usa["months"])
    assert _error(client.get("/api/actors/Nobody%20at%20all"), 404)["error"] == "not_found"


def test_conflicts_filter_by_kind_scope_actor_and_event(client, ids):
    def kinds(**params):
        return {(c["scope"], c["kind"]) for c in client.get(
            "/api/conflicts", params=params).json()["items"]}

    assert kinds(kind="date") == {("reports", "date")}
    assert kinds(scope="document") == {("document", "participants")}
    assert kinds(actor="UGA") == {("reports", "date")}
    assert kinds(actor="SOM") == {("document", "participants")}
    assert kinds(event=ids["deal"]) == {("reports", "date")}
    assert kinds(since="2025-01-01") == set()
    _error(client.get("/api/conflicts", params={"scope": "everything"}), 422)


def test_dyad_series_counts_asserted_events_by_default(client):
    def event_ids(**params):
        body = client.get("/api/dyad", params={"a": "USA", "b": "CHN", **params}).json()
        return {i for p in body["periods"] for i in p["events"]}

    asserted = event_ids()
    assert asserted and asserted == event_ids(factuality="asserted")
    assert event_ids(factuality="negated") == set()
    assert event_ids(factuality="any") >= asserted
    for eid in asserted:
        assert client.get(f"/api/events/{eid}").json()["event"]["factuality"] == "asserted"
