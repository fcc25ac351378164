"""Moderation queue at 1,000 and 100,000 pending comments (SPEC 8: at most 1.5x slower).

Run from the repository root: ``python bench/queue_scale.py [--database sqlite|postgresql]``.
(Not ``bench/queue.py``: a script of that name would shadow the standard ``queue`` module
that ``threading`` users import, because Python puts the script's folder first on the path.)

For each size it creates a fresh database, bulk-inserts the pending comments (with their
history rows; risks and ages spread as in a real queue), runs ``ANALYZE`` (``VACUUM
ANALYZE`` on PostgreSQL, as autovacuum would), then times, in
process through the Flask test client, the median of ``--repeat`` requests (the two sizes
taking turns, request by request) of:
``GET /api/v1/moderation/queue?limit=50``, its second page (through ``next_cursor``), a page
90% of the way through the queue (a keyset page costs the same wherever it starts), and the
moderation page ``/moderation/`` signed in as a moderator.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PG_URL = os.environ.get("BOARD_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SIZES = (1_000, 100_000)
PASSWORD = "bench-password-1"


def seed(database_url: str, pending: int) -> tuple[object, str]:
    """A migrated database with ``pending`` pending comments; returns the app and a token."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from board import accounts, create_app
    from board.extensions import db
    from board.models import Comment, CommentEvent
    from board.threads import create_thread
    from board.timeutil import utcnow
    from board.vocabulary import Role

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False,
                      "CACHE_REDIS_URL": None, "SECRET_KEY": "bench-queue",
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    rng = random.Random(pending)
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        now = utcnow()
        staff = accounts.create_user("mod@bench.example", "Moderator", PASSWORD,
                                     Role.MODERATOR, now=now)
        authors = [accounts.create_user(f"m{i}@bench.example", f"Member {i}", PASSWORD,
                                        Role.MEMBER, now=now).id for i in range(100)]
        threads = [create_thread(f"post-{i}", f"Post {i}", "https://example.org/p", site=None,
                                 now=now).id for i in range(10)]
        token = accounts.issue_token(staff, now, 86400, "bench")[0]
        db.session.commit()
        flags = [[], [], [], [{"code": "profanity", "severity": "warn", "detail": "damn",
                               "span": [10, 14]}]]
        start_id = 1
        batch = 10_000
        for first in range(0, pending, batch):
            rows = []
            for i in range(first, min(first + batch, pending)):
                flag = flags[rng.randrange(len(flags))]
                created = now - timedelta(seconds=pending - i)
                rows.append(dict(
                    id=start_id + i, thread_id=threads[i % len(threads)],
                    author_id=authors[i % len(authors)], body_raw=f"Pending comment {i}.",
                    body_html=f"<p>Pending comment {i}.</p>", state="pending", version=1,
                    flags=flag, risk=(rng.choice((10, 20, 40)) if flag else 0),
                    report_count=0, consent_at=created, terms_version="bench",
                    created_at=created, updated_at=created))
            db.session.execute(sa.insert(Comment), rows)
            db.session.execute(sa.insert(CommentEvent), [
                dict(comment_id=r["id"], version=1, actor_id=r["author_id"], action="submit",
                     from_state=None, to_state="pending", created_at=r["created_at"])
                for r in rows])
            db.session.commit()
        if database_url.startswith("postgresql"):
            db.session.execute(sa.text("SELECT setval(pg_get_serial_sequence('comments', 'id'), "
                                       "(SELECT max(id) FROM comments))"))
        db.session.commit()
        if os.environ.get("BOARD_BENCH_QUEUE_INDEX"):  # the index SPEC 8 needs (see README)
            db.session.execute(sa.text(
                "CREATE INDEX ix_comments_queue_order ON comments "
                "(state, risk DESC, created_at, id)"))
            db.session.commit()
        # Statistics, and on PostgreSQL the visibility map that lets counts read the index
        # alone: what autovacuum leaves after this many inserts (PostgreSQL 13+ vacuums
        # insert-only tables too). Without it every index scan also visits the table.
        vacuum = "VACUUM ANALYZE" if database_url.startswith("postgresql") else "ANALYZE"
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(vacuum))
        db.session.remove()
    return app, token


def requests(app, token: str):  # type: ignore[no-untyped-def]
    """The timed requests on one database, by name, each checked once before timing."""
    from tests.builders import sign_in

    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    first = api.get("/api/v1/moderation/queue?limit=50", headers=headers)
    assert first.status_code == 200, first.data[:300]
    cursor = first.get_json()["next_cursor"]
    assert cursor and len(first.get_json()["items"]) == 50

    def page1() -> None:
        assert api.get("/api/v1/moderation/queue?limit=50", headers=headers).status_code == 200

    def page2() -> None:
        assert api.get(f"/api/v1/moderation/queue?limit=50&cursor={cursor}",
                       headers=headers).status_code == 200

    deep = deep_cursor(app, 0.9)

    def deep_page() -> None:
        response = api.get(f"/api/v1/moderation/queue?limit=50&cursor={deep}", headers=headers)
        assert response.status_code == 200 and len(response.get_json()["items"]) == 50

    browser = app.test_client()
    sign_in(browser, "mod@bench.example", PASSWORD)

    def html() -> None:
        response = browser.get("/moderation/")
        assert response.status_code == 200, response.status_code

    return {"API page 1": page1, "API page 2 (cursor)": page2,
            "API page at 90% (cursor)": deep_page, "page /moderation/": html}


def interleaved(calls: dict[int, dict[str, object]], repeat: int) -> dict[int, dict[str, float]]:
    """Median time of each request at each size, the sizes taking turns request by request,
    so that a slow moment of a shared machine falls on both sizes alike."""
    times: dict[tuple[int, str], list[float]] = {}
    for round_ in range(repeat + 3):  # the first three rounds warm up
        for size, named in calls.items():
            for name, fn in named.items():
                t0 = time.perf_counter()
                fn()  # type: ignore[operator]
                if round_ >= 3:
                    times.setdefault((size, name), []).append(time.perf_counter() - t0)
    return {size: {name: statistics.median(times[(size, name)]) for name in named}
            for size, named in calls.items()}


def deep_cursor(app, depth: float) -> str:  # type: ignore[no-untyped-def]
    """The cursor a moderator holds after paging ``depth`` of the way through the queue."""
    import sqlalchemy as sa

    from board.extensions import db
    from board.models import Comment
    from board.pagination import encode_cursor

    with app.app_context():
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Comment)
                                  .where(Comment.state == "pending")) or 0
        row = db.session.execute(
            sa.select(Comment.risk, Comment.created_at, Comment.id)
            .where(Comment.state == "pending")
            .order_by(Comment.risk.desc(), Comment.created_at, Comment.id)
            .offset(int(total * depth)).limit(1)).one()
        db.session.remove()
    return encode_cursor("pending", row.risk, row.created_at, row.id)


def dispose(app) -> None:  # type: ignore[no-untyped-def]
    from board.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    calls: dict[int, dict[str, object]] = {}
    with ExitStack() as stack:
        for size in SIZES:
            if args.database == "postgresql":
                from bench.servers import postgres_database

                url = stack.enter_context(postgres_database(PG_URL, "board_queue"))
            else:
                workdir = stack.enter_context(tempfile.TemporaryDirectory(prefix="board-queue-"))
                url = f"sqlite:///{workdir}/board.db"
            t0 = time.perf_counter()
            app, token = seed(url, size)
            print(f"# {size:,} pending comments seeded in {time.perf_counter() - t0:.1f} s "
                  f"({args.database})", flush=True)
            calls[size] = requests(app, token)
            stack.callback(dispose, app)
        results = interleaved(calls, args.repeat)
    small, large = results[SIZES[0]], results[SIZES[1]]
    print(f"\n| request ({args.database}) | 1,000 pending | 100,000 pending | ratio (target <= 1.5) |")
    print("|---|---|---|---|")
    worst = 0.0
    for name in small:
        ratio = large[name] / small[name]
        worst = max(worst, ratio)
        print(f"| {name} | {small[name] * 1000:.2f} ms | {large[name] * 1000:.2f} ms | "
              f"**{ratio:.2f}** |")
    return 0 if worst <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
