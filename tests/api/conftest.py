"""Helpers for API tests: JSON requests with a bearer token."""
from __future__ import annotations

import re
from typing import Any

import pytest

from board import accounts
from board.timeutil import utcnow


class Api:
    """A thin JSON client: ``api.post("/threads", {...}, token=t)``."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def call(self, method: str, path: str, body: Any = None, token: str | None = None,
             **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            kwargs["json"] = body
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.call("POST", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.call("PATCH", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.call("DELETE", path, **kwargs)


@pytest.fixture
def api(client: Any) -> Api:
    return Api(client)


@pytest.fixture
def token_for():  # type: ignore[no-untyped-def]
    """``token_for(user)``: a fresh API token."""
    def issue(user: Any) -> str:
        return accounts.issue_token(user, utcnow(), 3600, "test")[0]
    return issue


def assert_error(response: Any, status: int, code: str | None = None) -> None:
    """The response is the SPEC 5 error shape with this status (and code)."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    data = response.get_json()
    assert set(data) == {"error"} and set(data["error"]) == {"code", "message"}, data
    assert data["error"]["message"] and re.fullmatch(r"[a-z][a-z0-9_]*", data["error"]["code"])
    if code:
        assert data["error"]["code"] == code, data
