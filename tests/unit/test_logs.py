"""No client address and no query string reach the logs (SPEC 1, confidentiality)."""
from __future__ import annotations

import http.client
import logging
import threading

import pytest
from flask import Flask
from werkzeug.serving import make_server

from board.logs import RedactAddress, redact


def test_the_address_is_replaced_in_the_old_format() -> None:
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '%s - - [%s] %s',
                               ("203.0.113.9", "23/Nov/2026", '"GET / HTTP/1.1" 200 -'), None)
    assert RedactAddress().filter(record)
    assert "203.0.113.9" not in record.getMessage() and record.getMessage().startswith("- - - [")


def test_the_address_and_query_are_removed_in_the_current_format() -> None:
    # werkzeug 3 writes the address into the message and passes the request line as args.
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1,
        '2001:db8::7 - - [02/Dec/2026 13:00:00] "%s" %s %s',
        ("GET /t/post?token=s3cret&email=a%40b.example HTTP/1.1", "200", "-"), None)
    assert RedactAddress().filter(record)
    line = record.getMessage()
    assert line == '- - - [02/Dec/2026 13:00:00] "GET /t/post HTTP/1.1" 200 -'


@pytest.mark.parametrize("line, expected", [
    ("Error handling request /auth/reset?token=abc", "Error handling request /auth/reset"),
    ('127.0.0.1 - - [x] "GET /?q=1 HTTP/1.1" 200 -', '- - - [x] "GET / HTTP/1.1" 200 -'),
    ("Is this a question?", "Is this a question?"),
])
def test_redact(line: str, expected: str) -> None:
    assert redact(line) == expected


def test_other_lines_are_untouched() -> None:
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, "Running on %s",
                               ("http://127.0.0.1:5000",), None)
    RedactAddress().filter(record)
    assert record.getMessage() == "Running on http://127.0.0.1:5000"


def test_the_development_server_logs_neither_address_nor_query(
        app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    """The real development server (``make run``) on loopback, its own request logging."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            for target in ("/healthz?token=s3cret-token", "/no-such-page?email=me%40example.org"):
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
                conn.request("GET", target)
                conn.getresponse().read()
                conn.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    # (werkzeug colours a 404's request line when the terminal allows it)
    assert any("GET /healthz HTTP/1.1" in line and " 200 " in line for line in lines), lines
    assert any("GET /no-such-page HTTP/1.1" in line and " 404 " in line for line in lines), lines
    for line in lines:
        assert "127.0.0.1 - -" not in line and "s3cret" not in line and "example.org" not in line
