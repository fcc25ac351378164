"""Services own every write: views, API handlers and commands never commit, and a change
lands with its audit row or not at all."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sqlalchemy as sa

from board import audit
from board.admin import service as admin_service
from board.extensions import db
from board.models import AuditEntry, Site, Thread
from board.timeutil import utcnow
from board.vocabulary import Role

BOARD = Path(__file__).resolve().parent.parent / "board"
INTERFACES = sorted([*BOARD.glob("*/views.py"), *BOARD.glob("api/*.py"), BOARD / "cli.py"])


@pytest.mark.parametrize("path", INTERFACES, ids=lambda p: str(p.relative_to(BOARD)))
def test_no_view_api_handler_or_command_commits(path: Path) -> None:
    tree = ast.parse(path.read_text())
    commits = [node.lineno for node in ast.walk(tree)
               if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
               and node.func.attr == "commit"]
    assert commits == [], f"{path.name} commits on line(s) {commits}: call a service instead"


class AuditDown(Exception):
    """The audit log cannot be written."""


def _failing_audit(*args: object, **kwargs: object) -> None:
    raise AuditDown()


def test_a_thread_lands_with_its_audit_row_or_not_at_all(make, monkeypatch) -> None:
    admin = make.user(Role.ADMIN)
    monkeypatch.setattr(audit, "record", _failing_audit)
    with pytest.raises(AuditDown):
        admin_service.create_thread("post-audited", "A post", "https://example.org/p", None,
                                    admin, utcnow())
    db.session.rollback()
    monkeypatch.undo()
    assert db.session.scalar(sa.select(Thread).where(Thread.key == "post-audited")) is None

    thread = admin_service.create_thread("post-audited", "A post", "https://example.org/p", None,
                                         admin, utcnow())
    actor_id = db.session.scalar(sa.select(AuditEntry.actor_id).where(
        AuditEntry.action == "thread.create", AuditEntry.target == f"thread:{thread.id}"))
    assert actor_id == admin.id


def test_a_site_lands_with_its_audit_row_or_not_at_all(make, monkeypatch) -> None:
    admin = make.user(Role.ADMIN)
    monkeypatch.setattr(audit, "record", _failing_audit)
    with pytest.raises(AuditDown):
        admin_service.create_site("Agency", ["https://agency.example"], False, admin, utcnow())
    db.session.rollback()
    assert db.session.scalar(sa.select(Site).where(Site.name == "Agency")) is None
