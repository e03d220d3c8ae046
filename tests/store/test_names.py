"""Actor filters resolve names, codes and adjectives through the knowledge base, alike
in the CLI, the JSON API and the pages (one query layer under all three)."""

from __future__ import annotations

import json
import re

import pytest


def _cli_ids(invoke, db, *actors):
    args = [a for x in actors for a in ("--actor", x)]
    result = invoke("events", "--db", db, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return sorted(e["id"] for e in json.loads(result.stdout)), result.stderr


def _api_ids(client, *actors):
    items = client.get("/api/events", params={"actor": list(actors), "limit": 200,
                                              "factuality": "any"})
    assert items.status_code == 200, items.text
    return sorted(e["id"] for e in items.json()["items"])


def _page_ids(client, *actors):
    page = client.get("/events", params={"actor": list(actors), "factuality": "any"})
    assert page.status_code == 200
    return sorted({int(i) for i in re.findall(r'href="/events/(\d+)"', page.text)})


@pytest.mark.parametrize("spellings", [("Kenya", "KEN", "Kenyan", "kenyan"),
                                       ("United States", "USA", "American", "U.S.")])
def test_name_code_and_adjective_give_the_same_events_everywhere(web_db, client, invoke,
                                                                 spellings):
    cli = [_cli_ids(invoke, web_db, s)[0] for s in spellings]
    assert cli[0] and all(ids == cli[0] for ids in cli)
    api = [_api_ids(client, s) for s in spellings]
    assert all(ids == cli[0] for ids in api)
    pages = [_page_ids(client, s) for s in spellings]
    assert all(set(ids) == set(cli[0]) for ids in pages)


def test_the_cli_says_what_a_filter_resolved_to(web_db, invoke):
    _, stderr = _cli_ids(invoke, web_db, "Kenyan")
    assert "'Kenyan' = Kenya (country:KEN) -> KEN" in stderr


def test_a_dyad_by_names_is_the_dyad_by_codes(web_db, invoke):
    by_code = invoke("dyad", "USA", "CHN", "--db", web_db, "--format", "json")
    by_name = invoke("dyad", "United States", "Chinese", "--db", web_db, "--format", "json")
    assert by_code.exit_code == 0 and by_name.exit_code == 0
    assert json.loads(by_code.stdout) == json.loads(by_name.stdout)


def test_a_country_key_is_shown_as_the_country(web_db, client):
    items = client.get("/api/actors", params={"limit": 100}).json()["items"]
    by_key = {a["key"]: a for a in items}
    assert by_key["USA"]["name"] == "United States" and by_key["USA"]["kind"] == "country"
