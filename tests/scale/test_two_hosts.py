"""Scale-out (SPEC 7): two Board servers, standing for two hosts, on one PostgreSQL and Redis.

A decision made through one host is visible through the other at once (the thread cache is
shared and invalidated across processes), and a member's rate limit is counted once for
both. Runs only when BOARD_TEST_DATABASE_URL names a PostgreSQL server; it creates its own
database ``board_scale_<random>`` there (dropped afterwards) and uses its own Redis key
prefix on database 14 (``BOARD_TEST_REDIS_URL``), so it never touches the shared ``test``.
"""
from __future__ import annotations

import http.client
import json
import os
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bench.servers import free_port, start_gunicorn

from ..conftest import redis_or_skip

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("BOARD_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("BOARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "scale-password-1"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not DATABASE_URL.startswith("postgresql"),
                       reason="needs BOARD_TEST_DATABASE_URL (PostgreSQL) and Redis: two "
                              "hosts share one database, which SQLite cannot stand for"),
]


@dataclass
class Host:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def call(self, method: str, path: str, body: Any = None, token: str | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        conn.request(method, f"/api/v1{path}", body=data, headers=sent)
        response = conn.getresponse()
        raw = response.read()
        conn.close()
        return response.status, dict(response.getheaders()), json.loads(raw) if raw else None


@dataclass
class Deployment:
    a: Host
    b: Host
    thread_key: str
    comment_id: int
    staff_token: str
    member_token: str


@pytest.fixture(scope="module")
def redis_client() -> Iterator[Any]:
    client = redis_or_skip(REDIS_URL)
    yield client
    client.close()


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A database of its own on the test server, dropped afterwards."""
    import psycopg

    admin = DATABASE_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    name = f"board_scale_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://{admin.split('://', 1)[1].rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(url: str) -> tuple[str, int, str, str, int]:
    """Schema, a moderator, a member with a random id, a thread and one pending comment."""
    from flask_migrate import upgrade

    from board import accounts, create_app
    from board.comments.service import Submission, submit_comment
    from board.extensions import db
    from board.threads import create_thread
    from board.timeutil import utcnow
    from board.vocabulary import Role

    app = create_app({"BOARD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        now = utcnow()
        staff = accounts.create_user("mod@scale.example", "Moderator", PASSWORD, Role.MODERATOR,
                                     now=now)
        member = accounts.create_user("member@scale.example", "Member", PASSWORD, Role.MEMBER,
                                      now=now)
        # Rate-limit keys are "user:<id>": a random id keeps concurrent runs apart in Redis.
        member_id = secrets.randbelow(10**9) + 10**9
        db.session.execute(db.text("UPDATE users SET id = :new WHERE id = :old"),
                           {"new": member_id, "old": member.id})
        db.session.commit()
        member = db.session.get(type(member), member_id)
        thread = create_thread("scale-post", "Scale", "https://example.org/s", site=None, now=now)
        comment = submit_comment(thread, member, Submission("Visible everywhere?", True),
                                 now=now, terms_version="test", max_length=20_000)
        staff_token = accounts.issue_token(staff, now, 3600, "test")[0]
        member_token = accounts.issue_token(member, now, 3600, "test")[0]
        db.session.commit()
        result = (thread.key, comment.id, staff_token, member_token, member_id)
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    return result


def start_host(url: str, prefix: str, tmp: Path) -> Host:
    port = free_port()
    env = {**os.environ, "BOARD_ENV": "production", "BOARD_SECRET_KEY": "scale-test-secret",
           "BOARD_DATABASE_URL": url, "BOARD_REDIS_URL": REDIS_URL,
           "BOARD_CACHE_KEY_PREFIX": prefix, "BOARD_RATELIMIT_ENABLED": "true",
           "BOARD_RATELIMIT_COMMENTS": "2 per minute", "BOARD_BIND": f"127.0.0.1:{port}",
           "BOARD_WORKERS": "2", "BOARD_ACCESS_LOG": ""}
    log = tmp / f"host-{port}.log"
    try:
        process = start_gunicorn(env, port, log)
    except RuntimeError as error:
        pytest.fail(f"a Board host did not start: {error}")
    return Host(port, process, log)


@pytest.fixture(scope="module")
def deployment(database: str, redis_client: Any,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    thread_key, comment_id, staff_token, member_token, member_id = seed(database)
    prefix = f"board-scale-{secrets.token_hex(4)}"
    tmp = tmp_path_factory.mktemp("hosts")
    hosts = [start_host(database, prefix, tmp) for _ in range(2)]
    try:
        yield Deployment(hosts[0], hosts[1], thread_key, comment_id, staff_token, member_token)
    finally:
        for host in hosts:
            host.process.terminate()
        for host in hosts:
            host.process.wait(15)
        for pattern in (f"{prefix}:*", f"*user:{member_id}*"):
            for key in redis_client.scan_iter(pattern):
                redis_client.delete(key)


def listed(host: Host, key: str) -> tuple[list[int], str]:
    status, headers, body = host.call("GET", f"/threads/{key}/comments")
    assert status == 200, body
    return [c["id"] for c in body["comments"]], headers["ETag"]


def test_a_decision_through_one_host_shows_through_the_other_at_once(deployment) -> None:
    d = deployment
    before, etag = listed(d.b, d.thread_key)
    assert d.comment_id not in before
    assert listed(d.b, d.thread_key) == (before, etag)  # now cached on B's side
    status, _, body = d.a.call("POST", f"/moderation/comments/{d.comment_id}/decisions",
                               {"action": "approve", "version": 1}, token=d.staff_token)
    assert status == 200 and body["state"] == "approved", body
    after, new_etag = listed(d.b, d.thread_key)
    assert d.comment_id in after and new_etag != etag
    status, _, _ = d.b.call("GET", f"/threads/{d.thread_key}/comments",
                            headers={"If-None-Match": new_etag})
    assert status == 304
    # and back out of the approved set, decided through B, read through A
    listed(d.a, d.thread_key)
    status, _, body = d.b.call("POST", f"/moderation/comments/{d.comment_id}/decisions",
                               {"action": "unpublish", "reason": "other", "version": 2},
                               token=d.staff_token)
    assert status == 200, body
    assert d.comment_id not in listed(d.a, d.thread_key)[0]


def test_a_members_rate_limit_is_shared_by_both_hosts(deployment) -> None:
    d = deployment
    path = f"/threads/{d.thread_key}/comments"
    sent = [d.a.call("POST", path, {"body": f"Comment number {n}", "consent": True},
                     token=d.member_token) for n in range(2)]
    assert [s for s, _, _ in sent] == [202, 202], sent
    status, headers, body = d.b.call("POST", path, {"body": "A third one", "consent": True},
                                     token=d.member_token)
    assert status == 429 and body["error"]["code"] == "rate_limited", body
    assert int(headers["Retry-After"]) > 0
