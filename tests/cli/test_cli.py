"""The `parley code` command: the document contract, formats and bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema

from parley.contract import committed
from tests.helpers import RESOURCES


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_code_json_is_one_contract_object(runner):
    from parley.cli import cli

    doc = _json(runner.invoke(cli, ["code", str(RESOURCES / "boilerplate.txt"),
                                    "--published", "2024-03-08"]))
    assert isinstance(doc, dict)
    jsonschema.validate(doc, committed())
    assert doc["published"] == "2024-03-08"
    assert doc["text"] == (RESOURCES / "boilerplate.txt").read_text("utf-8")


def test_code_reports_related_lines_and_corrects_misspelt_dateline(runner):
    from parley.cli import cli

    doc = _json(runner.invoke(cli, ["code", str(RESOURCES / "boilerplate.txt")]))
    removed = [doc["text"][r["start"] : r["end"]] for r in doc["removed"]]
    assert removed == [
        "Also Read: Celebrity chef opens new restaurant in Paris",
        "Related: Football club wins league title in dramatic final",
    ]
    assert [r["text"] for r in doc["removed"]] == removed
    assert doc["dateline"]["raw"] == "LUSKA —"
    assert doc["dateline"]["place"] == "Lusaka"


def test_code_html_keeps_article_paragraphs_only(runner):
    from parley.cli import cli

    doc = _json(runner.invoke(cli, ["code", str(RESOURCES / "page.html")]))
    text = doc["text"]
    assert text.startswith("The foreign ministers of Kenya, Ethiopia and Somalia met")
    assert "next month in Addis Ababa." in text
    for junk in ("Home", "cookies", "Related stories", "Floods hit", "Copyright",
                 "Privacy policy", "Celebrity chef"):
        assert junk not in text, junk
    assert len([p for p in text.split("\n") if p.strip()]) == 3
    assert doc["title"] == "Ministers meet in Nairobi"
    assert doc["published"] == "2024-03-08"


def test_code_reads_standard_input(runner):
    from parley.cli import cli

    doc = _json(runner.invoke(cli, ["code", "-", "--published", "2024-01-02"],
                              input="Kenya and Uganda signed a border agreement on Monday."))
    assert doc["text"] == "Kenya and Uganda signed a border agreement on Monday."


def test_code_jsonl_and_table_formats(runner, tmp_path, monkeypatch):
    from parley.cli import cli

    monkeypatch.setenv("PARLEY_MIN_CONFIDENCE", "0")  # the formats, whatever the floor

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "x1", "text": "Chad and Niger agreed to reopen the border.",
                               "published": "2024-02-01T10:00:00Z", "title": "T"}) + "\n"
                   + json.dumps({"id": "x2", "html": "<p>Mali expelled the French ambassador on "
                                 "Tuesday.</p>", "published": "2024-02-02"}) + "\n")
    out = runner.invoke(cli, ["code", str(src), "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [d["id"] for d in lines] == ["x1", "x2"]
    assert lines[0]["published"] == "2024-02-01"
    table = runner.invoke(cli, ["code", str(src), "--format", "table"])
    assert table.exit_code == 0 and "AGREE" in table.stdout


def _bad_inputs(tmp_path):
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Le président a rencontré le ministre.".encode("latin-1"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    bad_jsonl = tmp_path / "bad.jsonl"
    bad_jsonl.write_text('{"id": "ok", "text": "Chad and Niger agreed to talks."}\n'
                         '{"id": "broken", "text": \n'
                         '{"id": 3, "text": ["not", "a", "string"]}\n')
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    good = tmp_path / "good.txt"
    good.write_text("Kenya and Uganda signed a border agreement on Monday.")
    return binary, latin, empty, bad_jsonl, huge, good


def test_bad_inputs_give_one_clear_line_each_and_exit_2(tmp_path):
    binary, latin, empty, bad_jsonl, huge, good = _bad_inputs(tmp_path)
    missing = tmp_path / "missing.txt"
    paths = [missing, binary, latin, empty, bad_jsonl, huge, good]
    proc = subprocess.run([sys.executable, "-m", "parley", "code", *map(str, paths),
                           "--format", "jsonl"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    errors = proc.stderr.strip().splitlines()
    assert "Traceback" not in proc.stderr
    expect = [
        (missing, "no such file"),
        (binary, "binary"),
        (latin, "not valid UTF-8"),
        (empty, "empty"),
        (f"{bad_jsonl}:2", "not valid JSON"),
        (f"{bad_jsonl}:3", "'text' must be a string"),
        (huge, "over the limit"),
    ]
    assert len(errors) == len(expect), proc.stderr
    for line, (where, what) in zip(errors, expect):
        assert line.startswith(f"parley: error: {where}:") or line.startswith(
            f"parley: error: {where} "), line
        assert what in line, line
    # the good inputs in the same call were still coded
    ids = [json.loads(x)["id"] for x in proc.stdout.splitlines()]
    assert ids[0] == "ok" and len(ids) == 2
