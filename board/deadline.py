"""A deadline for each request: past ``REQUEST_TIMEOUT`` seconds it answers 503.

Python cannot stop a thread from outside, and gunicorn's own ``timeout`` does not help a
threaded worker (its main loop keeps reporting in while one thread spins), so one busy
request would hold a thread and a share of the CPU for as long as it likes. Here a
watchdog thread per process raises :class:`DeadlineExceeded` in the request's thread
(``PyThreadState_SetAsyncExc``: it takes effect between two bytecodes, so not inside a
C call such as a database query; PostgreSQL's ``statement_timeout``, set here to the same
number of seconds, bounds those). The app's error handler rolls the session back,
answers 503 in the error shape and calls :func:`acknowledge`; until then the watchdog
raises again every :data:`REPEAT_SECONDS`, so that a broad ``except Exception`` cannot
swallow it for good. gunicorn's ``timeout`` (sync workers) stays the last resort.
"""
from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask

#: Seconds between two raises in a request that has not yet answered.
REPEAT_SECONDS = 1.0
_TICK = 0.05


class DeadlineExceeded(Exception):
    """Raised in a request's thread when it runs past the request deadline."""


@dataclass
class _Entry:
    due: float
    fired: bool = False
    handled: bool = False


class _Watchdog:
    """Requests in flight in this process, and the thread that enforces their deadlines."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[int, _Entry] = {}
        self._pid = 0

    def _ensure_thread(self) -> None:
        # A forked worker inherits the registry but not the thread: start one per process.
        if self._pid != os.getpid():
            with self._lock:
                if self._pid != os.getpid():
                    self._requests.clear()
                    threading.Thread(target=self._run, name="request-deadline",
                                     daemon=True).start()
                    self._pid = os.getpid()

    def start(self, seconds: float) -> _Entry:
        self._ensure_thread()
        entry = _Entry(time.monotonic() + seconds)
        with self._lock:
            self._requests[threading.get_ident()] = entry
        return entry

    def finish(self) -> None:
        """Forget this thread's request; cancel an exception raised but not yet delivered."""
        ident = threading.get_ident()
        with self._lock:
            entry = self._requests.pop(ident, None)
            if entry is not None and entry.fired:
                _set_async_exc(ident, None)

    def acknowledge(self) -> None:
        with self._lock:
            entry = self._requests.get(threading.get_ident())
            if entry is not None:
                entry.handled = True

    def _run(self) -> None:
        while True:
            time.sleep(_TICK)
            now = time.monotonic()
            with self._lock:
                for ident, entry in self._requests.items():
                    if entry.handled or now < entry.due:
                        continue
                    entry.fired = True
                    entry.due = now + REPEAT_SECONDS
                    _set_async_exc(ident, DeadlineExceeded)


def _set_async_exc(ident: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), ctypes.py_object(exc) if exc is not None else None)


_watchdog = _Watchdog()


def acknowledge() -> None:
    """Called by the handler that answers a :class:`DeadlineExceeded`: raise no more."""
    _watchdog.acknowledge()


class RequestDeadline:
    """WSGI middleware: each request of ``app`` runs under the watchdog."""

    def __init__(self, app: Flask, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        seconds = float(self.app.config.get("REQUEST_TIMEOUT") or 0)
        if seconds <= 0:
            return self.wsgi_app(environ, start_response)
        _watchdog.start(seconds)
        try:
            # The app's handler turns DeadlineExceeded into a 503 inside the request.
            return self.wsgi_app(environ, start_response)
        finally:
            _watchdog.finish()


def init_app(app: Flask) -> None:
    """Run every request of ``app`` under the deadline of ``REQUEST_TIMEOUT`` (0: none),
    and give PostgreSQL the same bound per statement (the watchdog cannot stop a query)."""
    app.wsgi_app = RequestDeadline(app, app.wsgi_app)  # type: ignore[method-assign]
    seconds = float(app.config.get("REQUEST_TIMEOUT") or 0)
    if seconds <= 0:
        return
    from sqlalchemy import event

    from .extensions import db

    milliseconds = int(seconds * 1000)

    def statement_timeout(dbapi_connection: Any, record: Any) -> None:
        # Outside any transaction, so that the setting outlives the first rollback.
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        try:
            dbapi_connection.execute(f"SET statement_timeout = {milliseconds}")
        finally:
            dbapi_connection.autocommit = autocommit

    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "postgresql":
                event.listen(engine, "connect", statement_timeout)
