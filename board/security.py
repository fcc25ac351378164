"""Response headers and the SQLite connection pragmas."""
from __future__ import annotations

from typing import Any

from flask import Flask, Response
from sqlalchemy import event
from sqlalchemy.engine import Engine

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def hsts_value(seconds: int, include_subdomains: bool) -> str | None:
    """The ``Strict-Transport-Security`` header for a max-age, or None when it is 0."""
    if seconds <= 0:
        return None
    return f"max-age={seconds}" + ("; includeSubDomains" if include_subdomains else "")


def no_store(response: Response) -> Response:
    """Keep a response that shows a secret (a new token) out of every cache."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    """Send the security headers on every response (HSTS where ``HSTS_SECONDS`` is set)."""
    hsts = hsts_value(int(app.config.get("HSTS_SECONDS") or 0),
                      bool(app.config.get("HSTS_INCLUDE_SUBDOMAINS")))

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]:
            response.headers.setdefault("X-Frame-Options", "DENY")
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", hsts)
        return response


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL, foreign keys and a busy timeout on every SQLite connection."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
