"""Client addresses are redacted from access lines."""
from __future__ import annotations

import logging

from board.logs import RedactAddress


def test_the_address_is_replaced() -> None:
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '%s - - [%s] %s',
                               ("203.0.113.9", "23/Nov/2026", '"GET / HTTP/1.1" 200 -'), None)
    assert RedactAddress().filter(record)
    assert "203.0.113.9" not in record.getMessage() and record.getMessage().startswith("- - - [")


def test_other_lines_are_untouched() -> None:
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, "Running on %s",
                               ("http://127.0.0.1:5000",), None)
    RedactAddress().filter(record)
    assert record.getMessage() == "Running on http://127.0.0.1:5000"
