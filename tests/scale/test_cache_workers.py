"""The in-process cache is never shared by several worker processes: gunicorn with two workers
and no Redis, even with BOARD_CACHE_ENABLED=true, never serves a comment after it is
unpublished (each worker would otherwise keep its own stale copy)."""
from __future__ import annotations

import http.client
import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bench.servers import free_port, start_gunicorn
from board import create_app

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "workers-password-1"
BODY = "Shown until it is unpublished"
READS = 160


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def call(self, method: str, path: str, body: Any = None,
             token: str | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        conn.close()
        return response.status, text


def seed(url: str) -> tuple[int, str]:
    """Schema, a moderator, a member's approved comment; the comment id and a staff token."""
    from flask_migrate import upgrade

    from board import accounts, lifecycle
    from board.comments.service import Submission, submit_comment
    from board.extensions import db
    from board.threads import create_thread
    from board.timeutil import utcnow
    from board.vocabulary import Role

    app = create_app({"BOARD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        now = utcnow()
        staff = accounts.create_user("mod@workers.example", "Moderator", PASSWORD,
                                     Role.MODERATOR, now=now)
        member = accounts.create_user("member@workers.example", "Member", PASSWORD, now=now)
        thread = create_thread("post-1", "Post", "https://example.org/p", site=None, now=now)
        comment = submit_comment(thread, member, Submission(BODY, True), now=now,
                                 terms_version="test", max_length=20_000)
        lifecycle.transition(comment, "approve", staff, now=now)
        db.session.commit()
        token = accounts.issue_token(staff, now, 3600, "test")[0]
        result = (comment.id, token)
        db.session.remove()
        db.engine.dispose()
    return result


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, int, str]]:
    url = f"sqlite:///{tmp_path / 'board.db'}"
    comment_id, token = seed(url)
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("BOARD_REDIS_URL", "BOARD_CACHE_REDIS_URL", "BOARD_WORKER_PROCESSES")}
    env.update({"BOARD_ENV": "production", "BOARD_SECRET_KEY": "workers-test-secret",
                "BOARD_DATABASE_URL": url, "BOARD_CACHE_ENABLED": "true",
                "BOARD_RATELIMIT_ENABLED": "false", "BOARD_BIND": f"127.0.0.1:{port}",
                "BOARD_WORKERS": "2", "BOARD_ACCESS_LOG": "", "BOARD_HSTS_SECONDS": "0"})
    log = tmp_path / "gunicorn.log"
    try:
        process = start_gunicorn(env, port, log)
    except RuntimeError as error:
        pytest.fail(f"gunicorn did not start: {error}")
    try:
        yield Server(port, process, log), comment_id, token
    finally:
        process.terminate()
        process.wait(15)


def reads_showing(server: Server) -> int:
    shown = 0
    for n in range(READS):
        path = "/api/v1/threads/post-1/comments" if n % 2 else "/t/post-1"
        status, text = server.call("GET", path)
        assert status == 200, text
        shown += BODY in text
    return shown


def test_two_workers_without_redis_never_serve_an_unpublished_comment(server) -> None:
    running, comment_id, token = server
    assert reads_showing(running) == READS  # both workers have read (and could have cached) it
    status, text = running.call("POST", f"/api/v1/moderation/comments/{comment_id}/decisions",
                                {"action": "unpublish", "reason": "other", "version": 2},
                                token=token)
    assert status == 200, text
    assert reads_showing(running) == 0
    assert "the thread cache is off although BOARD_CACHE_ENABLED=true asked for it" in \
        running.log.read_text()


def test_the_app_refuses_the_memory_cache_in_several_processes() -> None:
    several = create_app({"BOARD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                          "CACHE_ENABLED": True, "WORKER_PROCESSES": 2})
    assert several.extensions["board_cache"] is None
    one = create_app({"BOARD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "CACHE_ENABLED": True, "WORKER_PROCESSES": 1})
    assert one.extensions["board_cache"] is not None
