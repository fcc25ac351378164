"""Logging without personal data: client addresses never reach the logs in the clear."""
from __future__ import annotations

import logging


class RedactAddress(logging.Filter):
    """Replace the client address in the development server's access lines with ``-``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith("%s - - [") and record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = ("-", *args[1:])
        return True


def init_app() -> None:
    """Install the filter (idempotent)."""
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactAddress) for f in logger.filters):
        logger.addFilter(RedactAddress())
