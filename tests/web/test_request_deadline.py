"""A request that runs past REQUEST_TIMEOUT answers 503 in the error shape, its changes
rolled back, while other readers are served (served for real on 127.0.0.1)."""
from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from board.extensions import db
from board.models import User

DEADLINE = 1.0


def _spin(user_id: int) -> str:
    """A change, then pure Python that never ends (no I/O, nothing to time out on)."""
    user = db.session.get(User, user_id)
    assert user is not None
    user.display_name = "Changed by a runaway request"
    db.session.flush()
    n = 0
    while True:
        n += 1


@pytest.fixture
def server(app: Flask, make: Any) -> Iterator[tuple[BaseWSGIServer, int]]:
    user = make.user()
    db.session.commit()
    app.config["REQUEST_TIMEOUT"] = DEADLINE
    app.add_url_rule("/test-runaway", "test_runaway", lambda: _spin(user.id))
    app.add_url_rule("/api/v1/test-runaway", "api_test_runaway", lambda: _spin(user.id))
    served = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield served, user.id
    served.shutdown()
    served.server_close()
    thread.join(5)


def _get(port: int, path: str,
         accept: str = "text/html") -> tuple[int, dict[str, str], bytes, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Accept": accept})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body, time.monotonic() - started


def test_a_runaway_api_request_answers_503_json_and_keeps_nothing(server: Any) -> None:
    served, user_id = server
    status, headers, body, took = _get(served.port, "/api/v1/test-runaway", "application/json")
    assert status == 503
    assert headers["Content-Type"].startswith("application/json")
    error = json.loads(body)["error"]
    assert error["code"] == "request_timeout" and error["message"].endswith(".")
    assert headers["Retry-After"]
    assert DEADLINE <= took < DEADLINE + 5
    db.session.expire_all()
    assert db.session.get(User, user_id).display_name != "Changed by a runaway request"


def test_a_runaway_page_answers_the_error_page(server: Any) -> None:
    served, _ = server
    status, headers, body, _ = _get(served.port, "/test-runaway")
    assert status == 503
    assert headers["Content-Type"].startswith("text/html")
    assert b"took too long" in body


def test_readers_are_served_while_a_request_runs_away(server: Any) -> None:
    served, _ = server
    results: list[int] = []
    runaway = threading.Thread(
        target=lambda: results.append(_get(served.port, "/api/v1/test-runaway")[0]))
    runaway.start()
    time.sleep(0.1)
    status, _, body, took = _get(served.port, "/healthz", "application/json")
    assert status == 200 and json.loads(body)["status"] == "ok"
    assert took < DEADLINE  # answered while the runaway request still spins
    runaway.join(10)
    assert results == [503]


def test_postgresql_statements_have_the_same_bound(app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    db.engine.dispose()  # a new connection, made with the app's settings
    shown = db.session.execute(db.text("SHOW statement_timeout")).scalar_one()
    assert shown == f"{app.config['REQUEST_TIMEOUT']}s"
