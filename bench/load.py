"""A bounded HTTP load client for loopback targets: threads + ``http.client``.

Every run is bounded twice, by a duration and by a request count, and refuses any host
that is not a loopback address.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# (method, path, body, headers) for the i-th request of a run
Request = tuple[str, str, bytes | None, dict[str, str]]


@dataclass
class Result:
    """What one run measured."""

    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    bodies: list[bytes] = field(default_factory=list)  # 2xx bodies, when asked to keep them

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0

    def share(self, lo: int, hi: int) -> int:
        return sum(n for status, n in self.statuses.items() if lo <= status < hi)

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered))) - 1))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(0.99)

    def merge(self, other: Result) -> None:
        self.elapsed += other.elapsed
        self.latencies += other.latencies
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n
        self.errors += other.errors
        self.bodies += other.bodies


def check_loopback(host: str) -> None:
    """Refuse to load anything but this machine."""
    for info in socket.getaddrinfo(host, None):
        if not ipaddress.ip_address(info[4][0]).is_loopback:
            raise SystemExit(f"refusing to load {host}: only loopback targets are allowed")


def run(host: str, port: int, make_request: Callable[[int], Request], *, concurrency: int,
        duration: float, max_requests: int, keep_bodies: bool = False,
        timeout: float = 10.0) -> Result:
    """Send requests from ``concurrency`` threads until ``duration`` or ``max_requests``."""
    check_loopback(host)
    lock = threading.Lock()
    issued = 0
    result = Result()
    deadline = time.perf_counter() + duration

    def next_index() -> int | None:
        nonlocal issued
        with lock:
            if issued >= max_requests or time.perf_counter() >= deadline:
                return None
            issued += 1
            return issued - 1

    def worker() -> None:
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        bodies: list[bytes] = []
        errors = 0
        conn: http.client.HTTPConnection | None = None
        while (index := next_index()) is not None:
            method, path, body, headers = make_request(index)
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(host, port, timeout=timeout)
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                latencies.append(time.perf_counter() - started)
                statuses[response.status] = statuses.get(response.status, 0) + 1
                if keep_bodies and 200 <= response.status < 300:
                    bodies.append(data)
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                errors += 1
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()
        with lock:
            result.latencies += latencies
            result.errors += errors
            result.bodies += bodies
            for status, n in statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + n

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + timeout + 5)
    result.elapsed = time.perf_counter() - started
    return result
