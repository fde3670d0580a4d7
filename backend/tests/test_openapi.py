"""The OpenAPI document is complete, and the copy the web app generates its types from is fresh."""

from __future__ import annotations

import json
from pathlib import Path

from gaung.config import Settings
from gaung.main import create_app

FRONTEND_COPY = Path(__file__).resolve().parents[2] / "frontend" / "src" / "api" / "openapi.json"


def _document() -> dict[str, object]:
    return create_app(Settings(env="test")).openapi()


def test_frontend_copy_is_current() -> None:
    current = json.loads(json.dumps(_document()))
    committed = json.loads(FRONTEND_COPY.read_text(encoding="utf-8"))
    assert committed == current, "frontend/src/api/openapi.json is stale: run `make api-types`"


def test_every_operation_documents_the_error_shape() -> None:
    doc = _document()
    paths = doc["paths"]
    assert isinstance(paths, dict)
    for path, ops in paths.items():
        for method, op in ops.items():
            if path in ("/api/v1/health", "/api/v1/meta"):
                continue
            responses = op["responses"]
            assert "422" in responses, (method, path)
            schema = responses["422"]["content"]["application/json"]["schema"]["$ref"]
            assert schema.endswith("/ErrorBody"), (method, path, schema)
