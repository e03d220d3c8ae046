"""The Jinja2 environment of the web pages: autoescape always on, undefined is an error."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined

from parley import __version__


def url_with(path: str, params: Iterable[tuple[str, str]], **changes: object) -> str:
    """``path`` with the query ``params`` (repeated keys kept), ``changes`` replacing
    keys (None drops one); what sort links and page links use."""
    kept = [(k, v) for k, v in params if k not in changes and v != ""]
    for k, v in changes.items():
        if v is None:
            continue
        kept.append((k, str(v)))
    return path + ("?" + urlencode(kept) if kept else "")


def _is_http_url(value: object) -> bool:
    """Only http(s) links are drawn as links (a stored ``javascript:`` URL is text)."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def _fmt_score(value: float) -> str:
    return f"{value:+g}" if value else "0"


def make_env() -> Environment:
    env = Environment(loader=PackageLoader("parley.http", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["version"] = __version__
    env.globals["url_with"] = url_with
    env.filters["score"] = _fmt_score
    env.tests["http_url"] = _is_http_url
    return env


templates = Jinja2Templates(env=make_env())
