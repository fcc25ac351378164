"""Creating threads on first embed happens on an unauthenticated GET, so it is rate limited."""
from __future__ import annotations

import sqlalchemy as sa

from board import create_app
from board.extensions import db
from board.models import Site, SiteOrigin, Thread

from ..conftest import IsolatedClient

HOST = "http://blog.example"


def test_auto_creation_is_limited_per_client(database_url) -> None:
    app = create_app({"BOARD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
                      "RATELIMIT_AUTO_THREADS": "2 per minute"})
    app.test_client_class = IsolatedClient
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.add(Site(name="Blog", auto_create_threads=True,
                            origins=[SiteOrigin(origin=HOST)]))
        db.session.commit()
        client = app.test_client()
        statuses = [client.get(f"/embed/post-{n}", query_string={
            "origin": HOST, "url": f"{HOST}/post-{n}", "title": "T"}).status_code
            for n in range(3)]
        assert statuses == [200, 200, 429]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Thread)) == 2
        # Reading threads that exist is not limited by it.
        assert client.get("/embed/post-0", query_string={"origin": HOST}).status_code == 200
        db.session.remove()
        db.engine.dispose()
