"""When Redis is down, limits are counted in process memory, never switched off; /healthz
says Redis is unreachable with a 200."""
from __future__ import annotations

import socket
import time
import uuid

import pytest
from werkzeug.exceptions import TooManyRequests

from board import create_app
from board.extensions import db
from board.ratelimit import consume

from ..builders import post_form
from ..api.conftest import Api
from ..conftest import REDIS_URL, redis_reachable



def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def limited_app(database_url: str, storage: str):  # type: ignore[no-untyped-def]
    """The app with the default limits on, counting in ``storage``."""
    app = create_app({"BOARD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": storage})
    from tests.conftest import IsolatedClient

    app.test_client_class = IsolatedClient
    return app


@pytest.fixture
def redis_down(database_url):  # type: ignore[no-untyped-def]
    app = limited_app(database_url, f"redis://127.0.0.1:{closed_port()}/3")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_wrong_passwords_are_limited_while_redis_is_down(redis_down) -> None:
    """The attack: 40 wrong passwords in a row with Redis unreachable."""
    client = redis_down.test_client()
    api = Api(client)
    where = {"REMOTE_ADDR": "192.0.2.40"}
    allowed = int(redis_down.config["RATELIMIT_SIGNIN"].split()[0])
    wrong = {"email": "victim@example.org", "password": "not the password"}
    started = time.monotonic()
    statuses = []
    for attempt in range(40):
        if attempt % 2:
            statuses.append(api.post("/tokens", wrong, environ_base=where).status_code)
        else:
            statuses.append(post_form(client, "/auth/login", wrong,
                                      environ_base=where).status_code)
    assert statuses.count(429) == 40 - allowed, statuses
    assert set(statuses[:allowed]) <= {400, 401}
    assert time.monotonic() - started < 30  # a dead Redis does not stall each request


def test_consume_counts_in_memory_while_redis_is_down(redis_down) -> None:
    setting = "RATELIMIT_AUTO_THREADS"
    allowed = int(redis_down.config[setting].split()[0])
    scope = f"test-{uuid.uuid4().hex[:8]}"
    with redis_down.test_request_context("/", environ_base={"REMOTE_ADDR": "192.0.2.41"}):
        for _ in range(allowed):
            consume(setting, scope)
        with pytest.raises(TooManyRequests):
            consume(setting, scope)
    with redis_down.test_request_context("/", environ_base={"REMOTE_ADDR": "192.0.2.41"}):
        for _ in range(allowed):
            consume(setting, scope, key="site:7")
        with pytest.raises(TooManyRequests):
            consume(setting, scope, key="site:7")


def test_healthz_reports_redis_as_degraded_with_200(redis_down) -> None:
    response = redis_down.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "degraded", "database": "ok",
                                   "redis": "unreachable", "rate_limits": "process memory"}


@pytest.mark.skipif(not redis_reachable(), reason="needs Redis at BOARD_REDIS_URL")
def test_with_redis_up_limits_are_counted_in_redis_and_healthz_says_ok(database_url) -> None:
    import redis

    app = limited_app(database_url, REDIS_URL)
    connection = redis.Redis.from_url(REDIS_URL)
    with app.app_context():
        try:
            client = app.test_client()
            assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok",
                                                         "redis": "ok"}
            where = {"REMOTE_ADDR": f"192.0.2.{uuid.uuid4().int % 200 + 50}"}
            before = set(connection.scan_iter("LIMITS:LIMITER/board/*signin*"))
            post_form(client, "/auth/login", {"email": "a@example.org", "password": "nope"},
                      environ_base=where)
            after = set(connection.scan_iter("LIMITS:LIMITER/board/*signin*"))
            assert after - before  # the count is in Redis, shared by every worker
        finally:
            db.session.remove()
            db.engine.dispose()
