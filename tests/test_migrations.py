"""The Alembic revisions build exactly the models' schema, on every configured database."""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from board import create_app
from board.extensions import db

from .conftest import BACKENDS


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):  # type: ignore[no-untyped-def]
    """A brand-new empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    base = sa.make_url(os.environ["BOARD_TEST_DATABASE_URL"])
    name = f"board_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_to_head_matches_the_models(empty_database) -> None:
    from flask_migrate import downgrade, upgrade

    app = create_app({"BOARD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
            if connection.dialect.name == "sqlite":
                differences = _without_sort_direction_noise(differences)
                # SQLite's reflection drops the sort direction, so check it directly.
                info = connection.exec_driver_sql("PRAGMA index_xinfo(ix_comments_queue)").all()
                assert [(row[2], row[3]) for row in info if row[2] is not None] == [
                    ("state", 0), ("risk", 1), ("created_at", 0), ("id", 0)]
            assert differences == []
            tables = set(sa.inspect(connection).get_table_names())
        assert {"users", "threads", "comments", "comment_events", "api_tokens"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def _without_sort_direction_noise(differences: list) -> list:  # type: ignore[type-arg]
    """Drop the remove/add pair Alembic reports for a DESC index SQLite reflects without DESC."""
    names = {diff[1].name for diff in differences
             if isinstance(diff, tuple) and diff[0] in ("add_index", "remove_index")}
    noisy = {name for name in names
             if {(d[0], d[1].name) for d in differences if isinstance(d, tuple)}
             >= {("add_index", name), ("remove_index", name)}}
    return [d for d in differences
            if not (isinstance(d, tuple) and d[0] in ("add_index", "remove_index")
                    and d[1].name in noisy and d[1].name == "ix_comments_queue")]


def test_the_init_command_migrates_an_empty_database(empty_database) -> None:
    app = create_app({"BOARD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": empty_database})
    result = app.test_cli_runner().invoke(args=["board", "init"])
    assert result.exit_code == 0, result.output
    assert "Database ready" in result.output
    with app.app_context():
        with db.engine.connect() as connection:
            assert "comments" in sa.inspect(connection).get_table_names()
        db.engine.dispose()
