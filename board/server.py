"""The gunicorn worker Board ships with: gthread, where slow clients hold no thread.

A sync worker serves one connection at a time, so two sockets that send half a request
stall it. gunicorn's gthread worker waits in an event loop, without a thread, until a
connection becomes readable, but then hands it to a thread that reads the request on a
blocking socket: a client that sends part of the headers and stops holds that thread
for good, and ``threads`` such clients stall the worker.

:class:`ThreadWorker` reads each request's head (up to the blank line that ends the
headers) in the event loop, without blocking, and gives the connection to a thread only
once the head is complete. A connection whose head is not complete within
``BOARD_CLIENT_TIMEOUT`` seconds (default 10) of its first byte, or of being opened, is
closed without a thread ever waiting on it. While a thread serves a request the socket
keeps that timeout too, so a client that stalls in the middle of its body or of reading
the response is disconnected rather than held for ever.

``gunicorn.conf.py`` selects it as ``board.server.ThreadWorker`` (``BOARD_WORKER_CLASS``
``gthread``, the default).
"""
from __future__ import annotations

import errno
import os
import selectors
import socket
import time
from functools import partial
from typing import Any

from gunicorn.http import RequestParser
from gunicorn.workers import gthread

# The head is handed to gunicorn's parser past this size, which refuses what is too long.
_HEAD_LIMIT = 64 * 1024
_END_OF_HEAD = b"\r\n\r\n"


def client_timeout() -> float:
    """Seconds a client may take to send a request's head, or stay silent in a request."""
    value = os.environ.get("BOARD_CLIENT_TIMEOUT", "").strip()
    return float(value) if value else 10.0


class _BufferedSocket:
    """The connection's socket as the request parser reads it: first what the event loop
    already read, then the socket. A read that times out reads as the end of the stream,
    which gunicorn treats as a client that went away (closed quietly, no traceback)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.pending = b""

    def recv(self, size: int) -> bytes:
        if self.pending:
            data, self.pending = self.pending[:size], self.pending[size:]
            return data
        try:
            return self.sock.recv(size)
        except TimeoutError:
            return b""

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


class TimedConn(gthread.TConn):
    """A gthread connection that collects its request head before a thread serves it."""

    def __init__(self, cfg: Any, sock: socket.socket, client: Any, server: Any) -> None:
        super().__init__(cfg, sock, client, server)
        self.head = b""
        self.head_due = time.monotonic() + client_timeout()
        self.buffered: _BufferedSocket | None = None

    def read_head(self) -> bool | None:
        """Read what has arrived without blocking: True once the head is complete, False
        while it is not, None when the client closed the connection."""
        try:
            data = self.sock.recv(8192)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            return None
        if not data:
            return None
        self.head += data
        return _END_OF_HEAD in self.head or len(self.head) > _HEAD_LIMIT

    sock: socket.socket
    parser: RequestParser | None

    def init(self) -> None:
        self.initialized = True
        self.sock.settimeout(client_timeout())  # blocking, but never for ever
        if self.parser is None:
            if self.cfg.is_ssl:
                self.sock = gthread.sock.ssl_wrap_socket(self.sock, self.cfg)
            self.buffered = _BufferedSocket(self.sock)
            self.parser = RequestParser(self.cfg, self.buffered, self.client)
        if self.buffered is not None:
            self.buffered.pending += self.head
        self.head = b""


class ThreadWorker(gthread.ThreadWorker):
    """gunicorn's gthread worker with :class:`TimedConn` connections (event-loop thread
    only: accept, readability and time-outs all run in the worker's main loop)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._reading: dict[TimedConn, None] = {}  # heads being read, oldest first

    def accept(self, server: Any, listener: Any) -> None:
        # As gunicorn's own accept(), with TimedConn in place of TConn.
        try:
            sock, client = listener.accept()
            conn = TimedConn(self.cfg, sock, client, server)
            self.nr_conns += 1
            self._reading[conn] = None
            with self._lock:
                self.poller.register(conn.sock, selectors.EVENT_READ,
                                     partial(self.on_client_socket_readable, conn))
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise

    def on_client_socket_readable(self, conn: TimedConn, client: Any) -> None:
        with self._lock:
            if conn.initialized and conn not in self._reading:
                # a kept-alive connection starts its next request
                try:
                    self._keep.remove(conn)
                except ValueError:
                    return
                conn.head_due = time.monotonic() + client_timeout()
                self._reading[conn] = None
        # (TLS is read by its own wrapper, in the thread: gunicorn behind a proxy has none)
        complete = True if self.cfg.is_ssl else conn.read_head()
        if complete is False:
            return  # still registered: wait for the rest of the head
        with self._lock:
            self.poller.unregister(client)
        self._reading.pop(conn, None)
        if complete is None:
            self.nr_conns -= 1
            conn.close()
            return
        self.enqueue_req(conn)

    def murder_keepalived(self) -> None:
        super().murder_keepalived()
        now = time.monotonic()
        for conn in list(self._reading):
            if conn.head_due > now:
                break  # in order of their deadlines
            self._reading.pop(conn, None)
            with self._lock:
                try:
                    self.poller.unregister(conn.sock)
                except (KeyError, ValueError, OSError):
                    pass
            self.nr_conns -= 1
            conn.close()
