"""Hostile and malformed input at the file entry points: a clear error or a correct
result, never a traceback, a hang or a memory blow-up."""

from __future__ import annotations

import json
import resource
import subprocess
import sys

import pytest

PARLEY = [sys.executable, "-m", "parley"]


def _limit_memory():
    # 4 GiB address space: a run-away parse fails here instead of eating the machine
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def _run(*args, timeout=300, env=None):
    return subprocess.run([*PARLEY, *args], capture_output=True, text=True, timeout=timeout,
                          preexec_fn=_limit_memory, env=env)


@pytest.fixture
def hostile(tmp_path):
    files = {}

    def put(name, data: bytes):
        path = tmp_path / name
        path.write_bytes(data)
        files[name] = path
        return path

    put("binary.bin", bytes(range(256)) * 64)
    put("mixed.txt", b"Kenya met Uganda. " + "Café".encode("latin-1"))
    put("nul.txt", b"Kenya met\x00 Uganda.")
    put("empty.txt", b"")
    put("spaces.txt", b"   \n\t \n")
    put("bom.txt", "\ufeffKenya and Uganda signed a border agreement on Monday.".encode())
    put("rtl.txt", ("Egypt and Qatar held talks in Cairo on Monday. مصر وقطر \u202eevil\u202c "
                    "e\u0301\u0301 שלום 🙂\n").encode())
    put("deep.html", b"<div>" * 10_000 + b"<p>Kenya met Uganda.</p>" + b"</div>" * 10_000)
    put("wrongtypes.jsonl", b'{"id": 1, "text": 5}\n{"id": [1], "text": "x"}\n'
        b'{"text": "Chad and Niger agreed to reopen the border.", "published": true}\n'
        b'"just a string"\n{"id": "ok", "text": "Chad and Niger agreed to talks."}\n')
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # 100 MB (sparse)
    files["huge.txt"] = big
    return files


def test_hostile_files_each_get_a_clear_error_or_a_result(hostile):
    order = ["binary.bin", "mixed.txt", "nul.txt", "empty.txt", "spaces.txt", "bom.txt",
             "rtl.txt", "deep.html", "wrongtypes.jsonl", "huge.txt"]
    proc = _run("code", *[str(hostile[n]) for n in order], "--format", "jsonl")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    errors = proc.stderr.strip().splitlines()
    expected = {
        "binary.bin": "binary", "mixed.txt": "not valid UTF-8", "nul.txt": "NUL",
        "empty.txt": "empty", "spaces.txt": "empty", "deep.html": "nested deeper",
        "huge.txt": "over the limit",
    }
    for name, what in expected.items():
        line = next((e for e in errors if str(hostile[name]) in e), None)
        assert line is not None and what in line, (name, errors)
        assert line.startswith("parley: error: ")
    jsonl_errors = [e for e in errors if "wrongtypes.jsonl:" in e]
    assert len(jsonl_errors) == 4, errors
    docs = [json.loads(line) for line in proc.stdout.splitlines()]
    texts = [d["text"] for d in docs]
    # the BOM is dropped, the right-to-left and combining text is coded as it is
    assert texts[0] == "Kenya and Uganda signed a border agreement on Monday."
    assert "مصر وقطر" in texts[1] and "e\u0301\u0301" in texts[1]
    assert any(e["type"] == "CONSULT" for e in docs[1]["events"])
    assert docs[2]["id"] == "ok"


def test_a_long_single_line_is_coded_in_linear_pieces(tmp_path):
    # 200,000 characters without a line break: parsed in pieces, offsets kept
    line = "Russia and Ukraine held talks in Istanbul on Monday. " * 3800
    path = tmp_path / "line.txt"
    path.write_text(line)
    proc = _run("code", str(path), "--published", "2024-03-08", timeout=600)
    assert proc.returncode == 0, proc.stderr[-500:]
    doc = json.loads(proc.stdout)
    assert doc["text"] == line
    for e in doc["events"]:
        for m in e["mentions"]:
            assert line[m["trigger"]["start"] : m["trigger"]["end"]] in ("held talks", "talks")


def test_size_limit_is_configurable(tmp_path):
    import os

    path = tmp_path / "small.txt"
    path.write_text("Kenya and Uganda signed a border agreement on Monday. " * 40)
    env = {**os.environ, "PARLEY_MAX_INPUT_BYTES": "1000"}
    proc = _run("code", str(path), env=env)
    assert proc.returncode == 2 and "over the limit of 1,000" in proc.stderr
