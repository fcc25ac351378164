"""Slow clients do not stall the server (gunicorn with the project's gunicorn.conf.py).

Sockets that send half a request and keep the connection open, twice as many as the
workers have threads, used to freeze sync workers (``/healthz`` timed out at 40 s).
Here readers are served at once while those sockets stay open, and the sockets are
closed by the server once ``BOARD_CLIENT_TIMEOUT`` has passed. Real gunicorn on
127.0.0.1 with a SQLite database of its own; bounded in count and time.
"""
from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.servers import free_port, start_gunicorn

ROOT = Path(__file__).resolve().parents[2]
WORKERS, THREADS = 2, 2
SLOW_SOCKETS = 2 * WORKERS * THREADS
CLIENT_TIMEOUT = 4.0
THREAD_KEY = "slow-post"


@dataclass
class Served:
    port: int
    process: subprocess.Popen[bytes]
    log: Path


def seed(url: str) -> None:
    """Schema and one thread, through the app's own code."""
    from flask_migrate import upgrade

    from board import create_app
    from board.extensions import db
    from board.threads import create_thread
    from board.timeutil import utcnow

    app = create_app({"BOARD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        create_thread(THREAD_KEY, "Slow clients", "https://example.org/slow", site=None,
                      now=utcnow())
        db.session.commit()
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("slow")
    url = f"sqlite:///{tmp / 'board.db'}"
    seed(url)
    port = free_port()
    env = {**os.environ, "BOARD_ENV": "production", "BOARD_SECRET_KEY": secrets.token_hex(32),
           "BOARD_DATABASE_URL": url, "BOARD_BIND": f"127.0.0.1:{port}",
           "BOARD_WORKERS": str(WORKERS), "BOARD_THREADS": str(THREADS),
           "BOARD_CLIENT_TIMEOUT": str(CLIENT_TIMEOUT), "BOARD_ACCESS_LOG": "",
           "BOARD_RATELIMIT_ENABLED": "false"}
    for name in ("BOARD_WORKER_CLASS", "BOARD_REDIS_URL", "BOARD_CACHE_REDIS_URL"):
        env.pop(name, None)  # the shipped defaults
    log = tmp / "gunicorn.log"
    try:
        process = start_gunicorn(env, port, log)
    except RuntimeError as error:
        pytest.fail(f"gunicorn did not start: {error}")
    try:
        yield Served(port, process, log)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _half_requests(port: int) -> list[socket.socket]:
    """Sockets that each sent half a request's head and then nothing."""
    sockets = []
    for n in range(SLOW_SOCKETS):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(f"GET /t/{THREAD_KEY}?n={n} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
        sockets.append(sock)
    return sockets


def _read(port: int, path: str) -> tuple[int, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, time.monotonic() - started


def test_the_shipped_configuration_uses_threads(served: Served) -> None:
    log = served.log.read_text()
    assert "Using worker: board.server.ThreadWorker" in log, log[-2000:]


def test_readers_are_served_while_slow_clients_hold_connections(served: Served) -> None:
    sockets = _half_requests(served.port)
    try:
        time.sleep(0.3)  # the server has read what they sent
        for path in ("/healthz", f"/t/{THREAD_KEY}") * 4:
            status, took = _read(served.port, path)
            assert status == 200
            # not waiting for a slow client's thread to time out
            assert took < CLIENT_TIMEOUT / 2, f"{path}: {took:.2f} s, {SLOW_SOCKETS} slow clients"
    finally:
        for sock in sockets:
            sock.close()


def test_a_client_silent_in_the_middle_of_a_request_is_disconnected(served: Served) -> None:
    sockets = _half_requests(served.port)
    try:
        deadline = time.monotonic() + CLIENT_TIMEOUT + 5
        for sock in sockets:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                assert sock.recv(1024) == b""  # closed by the server, nothing sent
            except ConnectionResetError:
                pass
        assert time.monotonic() < deadline
    finally:
        for sock in sockets:
            sock.close()
