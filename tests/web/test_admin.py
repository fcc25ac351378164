"""The admin area: sites and origins, threads, word lists, policy, staff; every change logged."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from board import settings
from board.admin import service
from board.errors import Conflict
from board.extensions import db
from board.models import AuditEntry, Site, Thread, User
from board.timeutil import utcnow
from board.vocabulary import Role

from ..builders import post_form, sign_in


@pytest.fixture
def admin(client, make):  # type: ignore[no-untyped-def]
    make.user(Role.ADMIN, email="admin@example.org", name="Ada")
    sign_in(client, "admin@example.org")
    return client


def logged(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def test_sites_and_origins(admin) -> None:
    response = post_form(admin, "/admin/sites", {
        "name": "Agency blog", "origins": "HTTPS://Blog.Example.org/\nhttp://localhost:8000\n",
        "auto_create_threads": "y"}, follow_redirects=True)
    assert "Site Agency blog created" in response.get_data(as_text=True)
    site = db.session.scalar(sa.select(Site))
    assert [o.origin for o in site.origins] == ["http://localhost:8000", "https://blog.example.org"]
    assert site.auto_create_threads
    response = post_form(admin, f"/admin/sites/{site.id}/origins",
                         {"origin": "https://x.example/path"}, page="/admin/sites",
                         follow_redirects=True)
    assert "is not an origin" in response.get_data(as_text=True)
    post_form(admin, f"/admin/sites/{site.id}/origins", {"origin": "https://news.example.org"},
              page="/admin/sites")
    db.session.expire_all()
    origin = next(o for o in db.session.get(Site, site.id).origins if "localhost" in o.origin)
    post_form(admin, f"/admin/sites/{site.id}/origins/{origin.id}/delete", {}, page="/admin/sites")
    post_form(admin, f"/admin/sites/{site.id}/auto-create", {"value": "0"}, page="/admin/sites")
    db.session.expire_all()
    site = db.session.get(Site, site.id)
    assert [o.origin for o in site.origins] == ["https://blog.example.org",
                                                "https://news.example.org"]
    assert not site.auto_create_threads
    for action in ("site.create", "site.origin_add", "site.origin_remove", "site.update"):
        assert logged(action), action
    html = admin.get("/admin/log?kind=site.").get_data(as_text=True)
    assert "site.origin_remove" in html and "Ada" in html and "example.org" not in html


def test_threads_create_open_and_close(admin) -> None:
    response = post_form(admin, "/admin/threads", {"key": "post-9", "title": "Budget",
                                                   "url": "https://example.org/budget", "site": ""},
                         follow_redirects=True)
    assert "Thread post-9 created" in response.get_data(as_text=True)
    response = post_form(admin, "/admin/threads", {"key": "post-9", "title": "Again",
                                                   "url": "https://example.org/x", "site": ""},
                         follow_redirects=True)
    assert "already exists" in response.get_data(as_text=True)
    thread = db.session.scalar(sa.select(Thread))
    post_form(admin, f"/admin/threads/{thread.id}/open", {"value": "0"}, page="/admin/threads")
    assert not db.session.get(Thread, thread.id).is_open
    assert "closed to new comments" in admin.get("/t/post-9").get_data(as_text=True)
    assert logged("thread.create") and logged("thread.update")


def test_word_lists_are_edited_one_per_line_and_screen_new_comments(admin, make) -> None:
    html = admin.get("/admin/word-lists").get_data(as_text=True)
    assert "i will kill you" in html
    data = {name: "\n".join(values) for name, values in settings.word_lists().to_mapping().items()}
    data["profanity_extra"] = "Frobnicate\n\n  zorgle  \n"
    data["threat"] = ""
    response = post_form(admin, "/admin/word-lists", data, follow_redirects=True)
    assert "word lists are saved" in response.get_data(as_text=True)
    lists = settings.word_lists()
    assert lists.profanity_extra == frozenset({"frobnicate", "zorgle"}) and lists.threat == ()
    assert logged("settings.word_lists")[0].detail["changed"] == ["profanity_extra", "threat"]
    comment = make.comment(make.thread(), make.user(), "What a frobnicate idea")
    assert any(flag["code"] == "profanity" for flag in comment.flags)


def test_policy_is_validated_and_saved(admin) -> None:
    response = post_form(admin, "/admin/policy", {"premoderate_all": "y", "auto_approve_after": "0",
                                                  "report_threshold": "0"})
    assert response.status_code == 200
    assert settings.policy().report_threshold == 3
    response = post_form(admin, "/admin/policy", {"auto_approve_after": "5",
                                                  "auto_reject_certain_spam": "y",
                                                  "report_threshold": "4",
                                                  "reporter_min_age_days": "14"},
                         follow_redirects=True)
    assert "policy is saved" in response.get_data(as_text=True)
    policy = settings.policy()
    assert (policy.premoderate_all, policy.auto_approve_after, policy.auto_reject_certain_spam,
            policy.report_threshold, policy.reporter_min_age_days) == (False, 5, True, 4, 14)
    assert logged("settings.policy")


def test_staff_accounts_and_roles(admin, make) -> None:
    response = post_form(admin, "/admin/staff", {"email": "newmod@example.org",
                                                 "display_name": "New Mod",
                                                 "password": "a long password",
                                                 "role": "moderator"}, follow_redirects=True)
    assert "New Mod is now a moderator" in response.get_data(as_text=True)
    member = make.user(email="member@example.org")
    post_form(admin, "/admin/staff/promote", {"email": "member@example.org", "role": "admin"},
              page="/admin/staff")
    assert db.session.get(User, member.id).role == Role.ADMIN
    post_form(admin, f"/admin/staff/{member.id}/role", {"role": "member"}, page="/admin/staff")
    assert db.session.get(User, member.id).role == Role.MEMBER
    assert len(logged("staff.role")) == 2 and logged("staff.create")
    entry = logged("staff.create")[0]
    assert "newmod" not in str(entry.detail) and "New Mod" not in str(entry.detail)


def test_the_last_admin_cannot_be_demoted(admin) -> None:
    ada = db.session.scalar(sa.select(User).where(User.email == "admin@example.org"))
    response = post_form(admin, f"/admin/staff/{ada.id}/role", {"role": "moderator"},
                         page="/admin/staff", follow_redirects=True)
    assert "at least one administrator" in response.get_data(as_text=True)
    assert db.session.get(User, ada.id).role == Role.ADMIN
    with pytest.raises(Conflict):
        service.set_role(ada.id, "member", ada, utcnow())
