"""Role checks on every staff and admin route, made on the server for every request.

The route table is checked against ``app.url_map`` so that a new route cannot be forgotten.
"""
from __future__ import annotations

import pytest

from board.vocabulary import Role

from ..builders import post_form, sign_in

# (endpoint, method, path, who may use it)
ROUTES = [
    ("moderation.queue", "GET", "/moderation/", "staff"),
    ("moderation.decide", "POST", "/moderation/comments/1/decision", "staff"),
    ("moderation.decide_bulk", "POST", "/moderation/bulk", "staff"),
    ("moderation.comment", "GET", "/moderation/comments/1", "staff"),
    ("moderation.dismiss_reports", "POST", "/moderation/comments/1/reports/dismiss", "staff"),
    ("moderation.decision_log", "GET", "/moderation/log", "staff"),
    ("moderation.member", "GET", "/moderation/members/1", "staff"),
    ("moderation.suspend", "POST", "/moderation/members/1/suspend", "staff"),
    ("moderation.reinstate", "POST", "/moderation/members/1/reinstate", "staff"),
    ("admin.index", "GET", "/admin/", "admin"),
    ("admin.sites", "GET", "/admin/sites", "admin"),
    ("admin.sites", "POST", "/admin/sites", "admin"),
    ("admin.add_origin", "POST", "/admin/sites/1/origins", "admin"),
    ("admin.remove_origin", "POST", "/admin/sites/1/origins/1/delete", "admin"),
    ("admin.auto_create", "POST", "/admin/sites/1/auto-create", "admin"),
    ("admin.threads", "GET", "/admin/threads", "admin"),
    ("admin.threads", "POST", "/admin/threads", "admin"),
    ("admin.thread_open", "POST", "/admin/threads/1/open", "admin"),
    ("admin.thread_confirm", "POST", "/admin/threads/1/confirm", "admin"),
    ("admin.word_lists", "GET", "/admin/word-lists", "admin"),
    ("admin.word_lists", "POST", "/admin/word-lists", "admin"),
    ("admin.policy", "GET", "/admin/policy", "admin"),
    ("admin.policy", "POST", "/admin/policy", "admin"),
    ("admin.staff", "GET", "/admin/staff", "admin"),
    ("admin.staff", "POST", "/admin/staff", "admin"),
    ("admin.set_role", "POST", "/admin/staff/1/role", "admin"),
    ("admin.promote", "POST", "/admin/staff/promote", "admin"),
    ("admin.audit_log", "GET", "/admin/log", "admin"),
]
IDS = [f"{method} {path}" for _, method, path, _ in ROUTES]


def test_the_table_covers_every_staff_and_admin_route(app) -> None:
    listed = {(endpoint, method) for endpoint, method, _, _ in ROUTES}
    served = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in ("moderation", "admin")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served == listed
    for endpoint, method, path, _ in ROUTES:
        adapter = app.url_map.bind("localhost")
        assert adapter.match(path, method=method)[0] == endpoint


def _request(client, method: str, path: str):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(path)
    # A real form post: the CSRF token of a page this person may see.
    return post_form(client, path, {"action": "approve", "version": "1", "reason": "x",
                                    "value": "1", "role": "admin"}, page="/auth/login")


@pytest.mark.parametrize(("endpoint", "method", "path", "who"), ROUTES, ids=IDS)
def test_signed_out_readers_are_sent_to_sign_in(client, endpoint, method, path, who) -> None:
    response = _request(client, method, path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(("endpoint", "method", "path", "who"), ROUTES, ids=IDS)
def test_members_are_refused(client, make, endpoint, method, path, who) -> None:
    make.user(Role.MEMBER, email="member@example.org")
    sign_in(client, "member@example.org")
    assert _request(client, method, path).status_code == 403


@pytest.mark.parametrize(("endpoint", "method", "path", "who"),
                         [r for r in ROUTES if r[3] == "admin"],
                         ids=[i for i, r in zip(IDS, ROUTES, strict=True) if r[3] == "admin"])
def test_moderators_are_refused_admin_routes(client, make, endpoint, method, path, who) -> None:
    make.user(Role.MODERATOR, email="mod@example.org")
    sign_in(client, "mod@example.org")
    assert _request(client, method, path).status_code == 403


def test_staff_see_the_moderation_link_and_admins_the_admin_link(client, make) -> None:
    make.user(Role.MODERATOR, email="mod@example.org")
    sign_in(client, "mod@example.org")
    html = client.get("/").get_data(as_text=True)
    assert "/moderation/" in html and "/admin/" not in html
    assert client.get("/moderation/").status_code == 200
    assert client.get("/moderation/log").status_code == 200
