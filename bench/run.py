"""Run every benchmark (``make bench``): screening, crafted comments, HTTP side by side with Isso on SQLite and
on PostgreSQL, and the moderation queue at 1,000 and 100,000 pending comments on both.

Each part is a separate process with its own time limit; a part that fails or misses a
target is reported at the end without stopping the others. PostgreSQL is skipped, with a
message, when ``BOARD_BENCH_PG_URL`` (default: the local server) does not answer.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BOARD_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            return True
    except Exception as error:  # noqa: BLE001 - any failure means "skip", with the reason
        print(f"(PostgreSQL at {PG_URL} unavailable, skipped: {error})")
        return False


def main() -> int:
    postgres = postgres_reachable()
    parts: list[tuple[str, list[str], int]] = [
        ("screening", ["bench/screening.py"], 120),
        ("crafted comments (SPEC 3: under 50 ms each)", ["bench/adversarial.py"], 300),
        ("HTTP vs Isso, SQLite", ["bench/web.py", "--database", "sqlite"], 300),
    ]
    if postgres:
        parts.append(("HTTP vs Isso, PostgreSQL", ["bench/web.py", "--database", "postgresql"],
                      300))
    parts.append(("moderation queue, SQLite", ["bench/queue_scale.py"], 300))
    if postgres:
        parts.append(("moderation queue, PostgreSQL",
                      ["bench/queue_scale.py", "--database", "postgresql"], 300))
    failed = []
    for name, argv, limit in parts:
        print(f"\n## {name}: python {' '.join(argv)}\n", flush=True)
        started = time.perf_counter()
        try:
            code = subprocess.run([sys.executable, *argv], cwd=ROOT, timeout=limit).returncode
        except subprocess.TimeoutExpired:
            code = -1
            print(f"(stopped after {limit} s)")
        print(f"({name}: {time.perf_counter() - started:.0f} s, exit {code})", flush=True)
        if code != 0:
            failed.append(name)
    if failed:
        print("\nMissed a target or failed: " + "; ".join(failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
