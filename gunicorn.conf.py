"""Gunicorn settings for Board: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Everything is read from the environment so that one file serves every host:

| variable | meaning | default |
|---|---|---|
| ``BOARD_BIND`` | address to listen on (several: comma-separated) | ``127.0.0.1:8000`` |
| ``BOARD_WORKERS`` | worker processes | ``2 * CPUs + 1``, at most 8 |
| ``BOARD_WORKER_CLASS`` | ``gthread`` (Board's: ``board/server.py``) or ``sync`` | ``gthread`` |
| ``BOARD_THREADS`` | threads per worker (``gthread``) | ``4`` |
| ``BOARD_CLIENT_TIMEOUT`` | seconds a client may stay silent in the middle of a request | ``10`` |
| ``BOARD_TIMEOUT`` | seconds before a silent worker is restarted | ``30`` |
| ``BOARD_REQUEST_TIMEOUT`` | seconds before a request answers 503 (read by the app) | ``20`` |
| ``BOARD_MAX_REQUESTS`` | recycle a worker after this many requests (0: never) | ``0`` |
| ``BOARD_ACCESS_LOG`` | ``-`` (stdout), a file, or empty for none | ``-`` |
| ``BOARD_FORWARDED_ALLOW_IPS`` | proxies trusted for ``X-Forwarded-Proto`` | ``127.0.0.1`` |

Several workers (or hosts) need ``BOARD_REDIS_URL``: rate limits and the thread cache must be
shared. Without it, and with more than one worker, the in-process cache is turned off, even
if ``BOARD_CACHE_ENABLED=true`` (each worker would otherwise keep serving its own copy after
another worker's change); the app is also told the worker count (``BOARD_WORKER_PROCESSES``)
and refuses the in-process cache by itself.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
from typing import Any


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = [address.strip() for address in
        os.environ.get("BOARD_BIND", "127.0.0.1:8000").split(",") if address.strip()]
workers = _int("BOARD_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
# Threads, so that slow clients do not stall a worker (a sync worker serves one connection
# at a time: two sockets sending half a request froze it); Board's gthread worker also
# disconnects a client silent for BOARD_CLIENT_TIMEOUT seconds in the middle of a request.
_worker_class = os.environ.get("BOARD_WORKER_CLASS", "gthread").strip() or "gthread"
worker_class = "board.server.ThreadWorker" if _worker_class == "gthread" else _worker_class
threads = _int("BOARD_THREADS", 4)
timeout = _int("BOARD_TIMEOUT", 30)
graceful_timeout = _int("BOARD_GRACEFUL_TIMEOUT", 30)
keepalive = _int("BOARD_KEEPALIVE", 5)
max_requests = _int("BOARD_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
# Load the app once in the master: workers start fast and share the imported code's memory.
preload_app = os.environ.get("BOARD_PRELOAD", "true").lower() not in {"0", "false", "no"}
forwarded_allow_ips = os.environ.get("BOARD_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_protocol = False

# Access log without the client address (SPEC 1, confidentiality: IP addresses are never
# stored in the clear): time, method, path without the query string, status, bytes, duration.
accesslog = os.environ.get("BOARD_ACCESS_LOG", "-") or None
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("BOARD_LOG_LEVEL", "info")  # "debug" would log addresses of bad requests

# The app refuses its in-process cache when it knows that several processes serve it: one
# worker could not tell the others that a comment was unpublished.
os.environ["BOARD_WORKER_PROCESSES"] = str(workers)
_shared_cache = os.environ.get("BOARD_CACHE_REDIS_URL") or os.environ.get("BOARD_REDIS_URL")
if workers > 1 and not _shared_cache:
    # Off even when BOARD_CACHE_ENABLED=true asks for it: without Redis it would serve each
    # worker's own stale copy after another worker's change.
    asked = os.environ.get("BOARD_CACHE_ENABLED", "").strip().lower() in {"1", "true", "yes", "on"}
    os.environ["BOARD_CACHE_ENABLED"] = "false"
    logging.getLogger("gunicorn.error").warning(
        "BOARD_REDIS_URL is not set and %d workers will run: the thread cache is off%s and "
        "rate limits are counted per worker. Set BOARD_REDIS_URL in production.", workers,
        " although BOARD_CACHE_ENABLED=true asked for it" if asked else "")


def post_fork(server: Any, worker: Any) -> None:
    """Each worker opens its own database connections (never one inherited from the master)."""
    app = server.app.wsgi() if preload_app else None
    if app is None:
        return
    from board.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
