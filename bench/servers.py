"""Start, seed and stop the servers the HTTP benchmark compares: Board and Isso 0.14.0.

Both run under gunicorn with the same number of workers, on 127.0.0.1 only. Isso lives in
its own ignored virtualenv, ``bench/.peers/isso-venv`` (``make bench`` creates it).
"""
from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "bench" / ".peers"
ISSO_VENV = PEERS / "isso-venv"
THREAD_KEY = "bench-thread"  # read: 200 approved comments, unchanged by the run
ISSO_URI = "/bench-thread"
SUBMIT_KEY = "bench-submit"  # written to: submissions never grow the thread being read
ISSO_SUBMIT_URI = "/bench-submit"
SEEDED = 200

PROSE = [
    "The new bus timetable starts on Monday and the council says it will cut waiting times.",
    "Could the agency publish the full assessment, not just the summary?",
    "We need more **bike lanes** and better lighting on the *river path* after dark.",
    "Thanks to everyone who came to the hearing; the minutes are at https://example.org/m.",
    "Why does it take six weeks to answer a simple question about parking permits?",
    "The report on page 12 says the budget grew by 4.5% while services were cut.",
]


def comment_text(n: int) -> str:
    """A realistic, unique comment of about 300 characters."""
    parts = [PROSE[(n + i) % len(PROSE)] for i in range(3)]
    return f"Comment {n}: " + " ".join(parts)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(port: int, path: str, seconds: float = 30.0) -> None:
    """Wait until the server on ``port`` answers ``path`` with anything below 500."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status < 500:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    raise RuntimeError(f"no server answered on 127.0.0.1:{port}{path} within {seconds:.0f} s")


@dataclass
class Server:
    """A gunicorn master we started."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                             capture_output=True, text=True, check=False).stdout
        return [int(pid) for pid in out.split()]

    def rss_mb(self) -> list[float]:
        """Resident memory of each worker, in MB."""
        sizes = []
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) / 1024)
            except OSError:
                pass
        return sizes

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


# -- Board ----------------------------------------------------------------------------------

@dataclass
class BoardSeed:
    thread_id: int
    submit_thread_id: int
    member_tokens: list[str]


def seed_board(database_url: str, members: int = 64) -> BoardSeed:
    """Migrate the database and seed one thread of 200 approved comments through the app."""
    from flask_migrate import upgrade

    from board import accounts, create_app, lifecycle
    from board.comments.service import Submission, submit_comment
    from board.extensions import db
    from board.threads import create_thread
    from board.timeutil import utcnow
    from board.vocabulary import Action, Role

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False,
                      "CACHE_REDIS_URL": None, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "SECRET_KEY": "bench-seed"})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        start = utcnow() - timedelta(days=1)
        staff = accounts.create_user("mod@bench.example", "Bench moderator", "bench-password-1",
                                     Role.MODERATOR, now=start)
        authors = [accounts.create_user(f"member{i}@bench.example", f"Member {i}",
                                        "bench-password-1", Role.MEMBER, now=start)
                   for i in range(members)]
        thread = create_thread(THREAD_KEY, "Benchmark post", "https://example.org/bench",
                               site=None, now=start)
        for n in range(SEEDED):
            now = start + timedelta(seconds=n)
            comment = submit_comment(thread, authors[n % members], Submission(comment_text(n), True),
                                     now=now, terms_version="bench", max_length=20_000)
            lifecycle.transition(comment, Action.APPROVE, staff, now=now)
            db.session.commit()
        submit = create_thread(SUBMIT_KEY, "Benchmark submissions", "https://example.org/s",
                               site=None, now=start)
        tokens = [accounts.issue_token(a, utcnow(), 86400, "bench")[0] for a in authors]
        db.session.commit()
        seed = BoardSeed(thread.id, submit.id, tokens)
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    return seed


def board_rows(database_url: str, thread_id: int) -> tuple[int, set[int]]:
    """How many comments the thread holds, and their ids."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url.replace("postgresql+psycopg", "postgresql+psycopg"))
    with engine.connect() as conn:
        ids = {row[0] for row in conn.execute(
            sa.text("SELECT id FROM comments WHERE thread_id = :t"), {"t": thread_id})}
        total = conn.execute(sa.text("SELECT count(*) FROM comments WHERE thread_id = :t"),
                             {"t": thread_id}).scalar_one()
    engine.dispose()
    return int(total), ids


def start_board(database_url: str, workers: int, redis_url: str | None, workdir: Path,
                extra_env: dict[str, str] | None = None) -> Server:
    """Board under gunicorn with ``gunicorn.conf.py``, rate limits off."""
    port = free_port()
    env = {**os.environ,
           "BOARD_ENV": "production", "BOARD_SECRET_KEY": secrets.token_hex(32),
           "BOARD_DATABASE_URL": database_url, "BOARD_RATELIMIT_ENABLED": "false",
           "BOARD_BIND": f"127.0.0.1:{port}", "BOARD_WORKERS": str(workers),
           "BOARD_ACCESS_LOG": "", "BOARD_CACHE_KEY_PREFIX": f"board-bench-{port}"}
    env.pop("BOARD_REDIS_URL", None)
    if redis_url:
        env["BOARD_REDIS_URL"] = redis_url
    env.update(extra_env or {})
    log = workdir / f"board-{port}.log"
    return Server("Board", port, start_gunicorn(env, port, log), log)


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """Board under gunicorn with ``gunicorn.conf.py`` and ``env``, once ``/healthz`` answers
    on ``port``; its output goes to ``log``. ``RuntimeError`` with the log's end if not."""
    with log.open("wb") as out:  # the child keeps its own descriptor
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "wsgi:app"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_http(port, "/healthz")
    except RuntimeError:
        process.terminate()
        process.wait(10)
        raise RuntimeError(f"Board did not start; see {log}:\n{log.read_text()[-3000:]}")
    return process


# -- Isso -----------------------------------------------------------------------------------

def isso_python() -> Path:
    python = ISSO_VENV / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"Isso is not installed: run `make bench` (it creates {ISSO_VENV}).")
    return python


def start_isso(workers: int, workdir: Path) -> tuple[Server, Path]:
    """Isso 0.14.0 under gunicorn (as its documentation shows), SQLite, moderation off."""
    port = free_port()
    db_path = workdir / "isso.db"
    config = workdir / "isso.cfg"
    config.write_text(f"""[general]
dbpath = {db_path}
host = http://127.0.0.1:{port}/
notify = stdout
[moderation]
enabled = false
[server]
listen = http://127.0.0.1:{port}/
[guard]
enabled = false
require-author = false
require-email = false
""")
    env = {**os.environ, "ISSO_SETTINGS": str(config)}
    log = workdir / f"isso-{port}.log"
    with log.open("wb") as out:  # the child keeps its own descriptor
        process = subprocess.Popen(
            [str(ISSO_VENV / "bin" / "gunicorn"), "-b", f"127.0.0.1:{port}", "-w", str(workers),
             "--preload", "isso.run"],
            cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server("Isso", port, process, log)
    try:
        wait_http(port, "/info")
    except RuntimeError:
        server.stop()
        raise RuntimeError(f"Isso did not start; see {log}:\n{log.read_text()[-2000:]}")
    return server, db_path


def isso_new_request(n: int, uri: str = ISSO_SUBMIT_URI) -> tuple[str, str, bytes, dict[str, str]]:
    body = json.dumps({"text": comment_text(n), "author": f"Reader {n % 64}",
                       "email": None, "website": None, "title": "Benchmark post"}).encode()
    return ("POST", f"/new?uri={uri}", body, {"Content-Type": "application/json"})


def seed_isso(port: int) -> None:
    """200 comments through Isso's own API (moderation is off: all are public)."""
    for n in range(SEEDED):
        method, path, body, headers = isso_new_request(n, ISSO_URI)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 201:
            raise RuntimeError(f"Isso refused a seed comment: {response.status}")
        conn.close()


def isso_rows(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute("SELECT count(*) FROM comments").fetchone()[0])


# -- databases ------------------------------------------------------------------------------

@contextmanager
def postgres_database(admin_url: str, prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database for the run, dropped afterwards; yields its SQLAlchemy URL."""
    import psycopg

    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    try:
        yield f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
