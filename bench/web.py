"""Board and Isso side by side over HTTP (SPEC 8): thread reads and comment submissions.

Run from the repository root with the venv's python (``make bench`` does)::

    python bench/web.py --database sqlite
    python bench/web.py --database postgresql   # a fresh database on BOARD_BENCH_PG_URL

Both servers run under gunicorn with ``--workers`` workers on 127.0.0.1; Board with rate
limits off and Redis (``BOARD_BENCH_REDIS_URL``) for its cache; Isso 0.14.0 on SQLite with
moderation off. Each is seeded with one thread of 200 approved comments. Loads are bounded
by time and count; the two servers alternate within each round. Afterwards the rows are
counted to prove that every accepted comment was stored exactly once.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import load, servers  # noqa: E402

PG_URL = os.environ.get("BOARD_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BOARD_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def get(path: str, headers: dict[str, str] | None = None) -> load.Request:
    return ("GET", path, None, headers or {})


def board_submit(tokens: list[str], offset: int):  # type: ignore[no-untyped-def]
    def make(n: int) -> load.Request:
        body = json.dumps({"body": servers.comment_text(offset + n), "consent": True}).encode()
        return ("POST", f"/api/v1/threads/{servers.SUBMIT_KEY}/comments", body,
                {"Content-Type": "application/json",
                 "Authorization": f"Bearer {tokens[n % len(tokens)]}"})
    return make


def isso_submit(offset: int):  # type: ignore[no-untyped-def]
    return lambda n: servers.isso_new_request(offset + n)


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def row(label: str, server: str, conc: int, result: load.Result, ratio: str = "") -> str:
    return (f"| {label} | {server} | {conc} | {result.count} | {result.rate:,.0f} | "
            f"{result.p50 * 1000:.1f} | {result.p99 * 1000:.1f} | {result.share(200, 300)} | "
            f"{result.share(400, 500)} | {result.share(500, 600)} | {result.errors} | {ratio} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=6.0, help="seconds per load")
    parser.add_argument("--rounds", type=int, default=2, help="alternations per load")
    parser.add_argument("--max-requests", type=int, default=50_000, help="cap per load")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BOARD_THREADS", "4")),
                        help="threads per Board worker (default 4 on Board's gthread worker, as "
                             "gunicorn.conf.py ships; 1: sync workers)")
    parser.add_argument("--no-cache", action="store_true", help="Board with its cache off")
    parser.add_argument("--no-redis", action="store_true",
                        help="Board without Redis (with several workers: cache off)")
    args = parser.parse_args()

    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="board-bench-")))
        if args.database == "postgresql":
            database_url = stack.enter_context(servers.postgres_database(PG_URL, "board_bench"))
        else:
            database_url = f"sqlite:///{workdir / 'board.db'}"
        redis_url = None if args.no_redis else REDIS_URL
        t0 = time.perf_counter()
        seed = servers.seed_board(database_url)
        extra = {"BOARD_THREADS": str(args.threads),
                 "BOARD_WORKER_CLASS": "gthread" if args.threads > 1 else "sync"}
        if args.no_cache:
            extra["BOARD_CACHE_ENABLED"] = "false"
        board = servers.start_board(database_url, args.workers, redis_url, workdir, extra)
        stack.callback(board.stop)
        isso, isso_db = servers.start_isso(args.workers, workdir)
        stack.callback(isso.stop)
        servers.seed_isso(isso.port)
        print(f"# Board ({args.database}{', Redis cache' if redis_url else ''}) and Isso 0.14.0 "
              f"(SQLite), {args.workers} gunicorn workers each (Board: {args.threads} thread(s) "
              f"per worker{', cache OFF' if args.no_cache else ''}); seeded in "
              f"{time.perf_counter() - t0:.1f} s; {args.rounds} round(s) x {args.duration:.0f} s "
              f"per load, alternating")

        json_path = f"/api/v1/threads/{servers.THREAD_KEY}/comments?limit=200"
        status, headers, body = fetch(board.port, json_path)
        assert status == 200 and len(json.loads(body)["comments"]) == servers.SEEDED, status
        status304, _, _ = fetch(board.port, json_path, {"If-None-Match": headers["ETag"]})
        status, _, body = fetch(isso.port, f"/?uri={servers.ISSO_URI}")
        assert status == 200 and len(json.loads(body)["replies"]) == servers.SEEDED, status
        embed = fetch(board.port, f"/embed/{servers.THREAD_KEY}")[0] == 200
        html_path = f"/embed/{servers.THREAD_KEY}" if embed else f"/t/{servers.THREAD_KEY}"

        def measure(target: servers.Server, make, conc: int, keep: bool = False) -> load.Result:
            return load.run("127.0.0.1", target.port, make, concurrency=conc,
                            duration=args.duration, max_requests=args.max_requests,
                            keep_bodies=keep)

        isso_read = lambda n: get(f"/?uri={servers.ISSO_URI}")  # noqa: E731
        reads = [
            ("read JSON `?limit=200`", lambda n: get(json_path)),
            (f"read HTML `{html_path.rsplit('/', 1)[0]}/<key>`", lambda n: get(html_path)),
        ]
        if embed:
            reads.append(("read HTML `/t/<key>`",
                          lambda n: get(f"/t/{servers.THREAD_KEY}")))
        results: dict[tuple[str, str], load.Result] = {}
        offset = 10_000

        def add(key: tuple[str, str], result: load.Result) -> None:
            results.setdefault(key, load.Result()).merge(result)

        for _ in range(args.rounds):
            # Isso's read is measured once per round and compared with each Board read.
            for label, make in reads:
                add((label, "Board"), measure(board, make, 16))
            add(("read", "Isso"), measure(isso, isso_read, 16))
            for conc in (8, 16):
                add((f"submit c{conc}", "Board"),
                    measure(board, board_submit(seed.member_tokens, offset), conc, keep=True))
                offset += args.max_requests
                add((f"submit c{conc}", "Isso"), measure(isso, isso_submit(offset), conc))
                offset += args.max_requests

        print()
        print("| load | server | conc. | requests | req/s | p50 ms | p99 ms | 2xx | 4xx | 5xx "
              "| errors | Board/Isso |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        isso_r = results[("read", "Isso")]
        for label, _ in reads:
            b = results[(label, "Board")]
            print(row(label, "Board", 16, b, f"**{b.rate / isso_r.rate:,.1f}x**"))
        print(row("read `GET /?uri=`", "Isso", 16, isso_r))
        for conc in (8, 16):
            b, i = results[(f"submit c{conc}", "Board")], results[(f"submit c{conc}", "Isso")]
            print(row(f"submit c{conc}", "Board", conc, b, f"**{b.rate / i.rate:.2f}x**"))
            print(row(f"submit c{conc}", "Isso", conc, i))

        accepted_ids = [json.loads(body)["id"] for key, r in results.items()
                        if key[0].startswith("submit") and key[1] == "Board" for body in r.bodies]
        total, stored_ids = servers.board_rows(database_url, seed.submit_thread_id)
        total += servers.SEEDED  # the submissions thread started empty
        isso_accepted = sum(r.share(200, 300) for key, r in results.items()
                            if key[0].startswith("submit") and key[1] == "Isso")
        isso_total = servers.isso_rows(isso_db)
        missing = set(accepted_ids) - stored_ids
        stored_once = (not missing and len(set(accepted_ids)) == len(accepted_ids)
                       == total - servers.SEEDED)
        print()
        print(f"Board: {len(accepted_ids)} comments accepted (202), "
              f"{total - servers.SEEDED} stored, {len(missing)} missing, "
              f"{len(accepted_ids) - len(set(accepted_ids))} duplicate ids -> "
              f"{'OK' if stored_once else 'MISMATCH'}")
        print(f"Isso:  {isso_accepted} comments accepted (201), {isso_total - servers.SEEDED} "
              f"stored -> {'OK' if isso_total - servers.SEEDED == isso_accepted else 'MISMATCH'}")
        fives = {name: sum(r.share(500, 600) + r.errors for key, r in results.items()
                           if key[1] == name) for name in ("Board", "Isso")}
        print(f"5xx or transport errors: Board {fives['Board']}, Isso {fives['Isso']}")
        print(f"conditional read: If-None-Match with the listing's ETag -> {status304}")
        rss = board.rss_mb()
        print("RSS of each Board worker after the run: "
              + ", ".join(f"{mb:.0f} MB" for mb in rss)
              + " (target < 150 MB); Isso workers: "
              + ", ".join(f"{mb:.0f} MB" for mb in isso.rss_mb()))
        targets = {
            "reads at least 30x Isso": all(
                results[(label, "Board")].rate >= 30 * isso_r.rate for label, _ in reads),
            "read p99 under 100 ms": all(
                results[(label, "Board")].p99 < 0.1 for label, _ in reads),
            "conditional read answers 304": status304 == 304,
            "submissions at least Isso's rate": all(
                results[(f"submit c{c}", "Board")].rate >= results[(f"submit c{c}", "Isso")].rate
                for c in (8, 16)),
            "every accepted comment stored once": stored_once,
            "zero Board 5xx": fives["Board"] == 0,
            "worker RSS under 150 MB": all(mb < 150 for mb in rss),
        }
        print("Targets (SPEC 8): " + "; ".join(
            f"{name}: {'met' if met else 'NOT MET'}" for name, met in targets.items()))
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
