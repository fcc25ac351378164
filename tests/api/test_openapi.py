"""The OpenAPI document matches the code: every route is described, and property-based
requests generated from the document never get a 500 or a response it does not describe."""
from __future__ import annotations

import re

import pytest
import schemathesis
from schemathesis import checks
from hypothesis import HealthCheck, settings

from board.api.openapi import document
from board.vocabulary import Role, State


def test_every_api_route_is_documented_and_nothing_else(app) -> None:
    documented = {
        (path, method.upper())
        for path, item in document()["paths"].items()
        for method in item if method != "parameters"
    }
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi":
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        served |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == documented


def test_the_document_is_served(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.get_json()["openapi"].startswith("3.")


@pytest.fixture
def staff_token(app, make, token_for):  # type: ignore[no-untyped-def]
    """A thread with comments in it, and an admin's token."""
    thread = make.thread("post-1")
    author = make.user()
    make.comment(thread, author, "An approved comment", State.APPROVED)
    make.comment(thread, author, "A pending comment", State.PENDING)
    return token_for(make.user(Role.ADMIN))


schema = schemathesis.openapi.from_dict(document())


CHECKS = [
    checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
    checks.response_schema_conformance, checks.response_headers_conformance,
    checks.negative_data_rejection, checks.missing_required_header, checks.ignored_auth,
]


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_document(case, app, staff_token) -> None:
    """No 5xx, and every status, content type, header and body is what the document says.

    Schema-valid input may still break a rule JSON Schema cannot express (an e-mail address
    needs a real domain, a URL must be absolute), so the "valid data is accepted" check is
    left out.
    """
    case.operation.schema.app = app  # probes the checks send (e.g. without auth) go here too
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {staff_token}"},
                           checks=CHECKS)
