"""schemathesis against the app's own OpenAPI schema, in-process (ASGI): no generated
request, valid or not, gets a 5xx. POST /api/code runs the real coder on what is
generated (short texts: hypothesis keeps strings small)."""

from __future__ import annotations

import re
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

EXAMPLES = 25  # per operation and mode


def test_openapi_schema_is_served_and_typed(client):
    doc = client.get("/openapi.json").json()
    paths = doc["paths"]
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/events",
                 "/api/events/{event_id}", "/api/actors", "/api/dyad", "/api/conflicts",
                 "/api/code"):
        assert path in paths
    ok = paths["/api/events"]["get"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"] == {"$ref": "#/components/schemas/EventPage"}
    types = next(p for p in paths["/api/events"]["get"]["parameters"] if p["name"] == "type")
    assert "AGREE" in str(types["schema"])
    assert "Document" in doc["components"]["schemas"]
    assert "bearer" in str(doc["components"]["securitySchemes"]).lower()
    # /docs is Swagger UI from the package's own files, nothing from elsewhere
    docs = client.get("/docs")
    assert docs.status_code == 200
    refs = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert "/static/swagger-ui-bundle.js" in refs and "/static/swagger-ui.css" in refs
    assert not [u for u in refs if u.startswith(("http:", "https:", "//"))]
    assert client.get("/static/swagger-ui-bundle.js").status_code == 200
    # Swagger UI needs inline styles; its scripts stay the server's own
    csp = docs.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "style-src 'self' 'unsafe-inline'" in csp


def _operations(app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["valid", "invalid"])
def test_generated_requests_never_get_a_server_error(app, mode):
    started = time.monotonic()
    operations = _operations(app)
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(checks=[not_a_server_error])

        try:
            check()
        except Unsatisfiable:
            # nothing to make invalid: the operation takes no input
            assert mode is GenerationMode.NEGATIVE
        except Exception as exc:
            exc.add_note(f"operation: {operation.label} ({mode.value})")
            raise
    assert time.monotonic() - started < 60
