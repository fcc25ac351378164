"""Logging without personal data: no client address and no query string in any log line.

The development server (werkzeug) writes the client address into the message itself
(``"203.0.113.9 - - [date] "GET /path?query HTTP/1.1" 200 -"``; older releases passed
it as the first argument), and gunicorn names the request target when a request fails.
Query strings carry tokens, e-mail addresses and search terms. The filter works on the
line as it would be printed, whatever the format that built it, and rewrites the record
so that every handler prints the redacted line.
"""
from __future__ import annotations

import logging
import re

# "<address> - - [" at the start of an access line (IPv4, IPv6, a host name or <local>).
_ACCESS_PREFIX_RE = re.compile(r"^\S+ - - \[")
# A query string after a path: "/t/post?token=..." (up to a space or a quote).
_QUERY_RE = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")

#: Loggers that write request lines: the development server's and gunicorn's.
REQUEST_LOGGERS = ("werkzeug", "gunicorn.error", "gunicorn.access")


def redact(line: str) -> str:
    """``line`` without a leading client address and without query strings."""
    line = _ACCESS_PREFIX_RE.sub("- - - [", line, count=1)
    return _QUERY_RE.sub(r"\1", line) if "?" in line else line


class RedactAddress(logging.Filter):
    """Replace the client address with ``-`` and drop query strings from request lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is logging's to report
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def init_app() -> None:
    """Install the filter on every logger that writes request lines (idempotent)."""
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactAddress) for f in logger.filters):
            logger.addFilter(RedactAddress())
