"""Fixtures: an app per test on each configured database, its client and CLI runner.

The suite always runs on SQLite; when BOARD_TEST_DATABASE_URL is set it runs every
database test on that database as well.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from board import create_app
from board.extensions import db

from . import builders

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("BOARD_TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database URL with the schema created once per backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'board-test.db'}"
    else:
        url = os.environ["BOARD_TEST_DATABASE_URL"]
    app = create_app({"BOARD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return url


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own app context, as on a real server.

    The test itself holds an app context to use ``db.session``; without this, requests
    would share its ``g`` and session. After each request the test's session is expired,
    so that it sees what the request changed.
    """

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@contextmanager
def app_on_empty_database(database_url: str, **settings: Any) -> Iterator[Flask]:
    """The application with ``settings``, inside its app context, on an empty database."""
    app = create_app({"BOARD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      **settings})
    app.test_client_class = IsolatedClient
    with app.app_context():
        _empty_tables()
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """The application on an empty database."""
    with app_on_empty_database(database_url) as app:
        yield app


REDIS_URL = os.environ.get("BOARD_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_reachable() -> bool:
    """Whether the Redis at ``BOARD_REDIS_URL`` answers."""
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


#: Where rate limits can count in the tests: process memory, and Redis when it answers.
LIMIT_STORAGES = ["memory://"] + ([REDIS_URL] if redis_reachable() else [])


@contextmanager
def app_with_limits(database_url: str, storage: str = "memory://",
                    **settings: Any) -> Iterator[Flask]:
    """The app with rate limits on, counting in ``storage`` (earlier counts in Redis
    cleared), on an empty database. Build it last in a test: the limiter is one object."""
    if storage.startswith("redis"):
        import redis

        connection = redis.Redis.from_url(storage)
        for key in connection.scan_iter("LIMITS:LIMITER/board/*"):
            connection.delete(key)
    with app_on_empty_database(database_url, RATELIMIT_ENABLED=True,
                               RATELIMIT_STORAGE_URI=storage, **settings) as app:
        yield app


def redis_or_skip(url: str) -> Any:
    """A client of the Redis at ``url``; the test is skipped when it does not answer."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"needs Redis at {url}: {error}")
    return client


def _empty_tables() -> None:
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def statements(app: Flask):  # type: ignore[no-untyped-def]
    """The SQL statements run while the fixture's list is being watched."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner for the ``board`` commands."""
    return app.test_cli_runner()


@pytest.fixture
def make(app: Flask) -> type[builders.Builders]:
    """Builders for users, threads and comments."""
    return builders.Builders
