"""Builders for test data, and helpers that act as a person in a browser would."""
from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from board import accounts, lifecycle
from board.comments.service import Submission, submit_comment
from board.extensions import db
from board.models import Comment, Thread, User
from board.threads import create_thread
from board.timeutil import utcnow
from board.vocabulary import Action, Role, State

PASSWORD = "correct horse battery"
_counter = itertools.count(1)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class Builders:
    """``make.user()``, ``make.thread()``, ``make.comment()``..."""

    @staticmethod
    def user(role: Role | str = Role.MEMBER, email: str | None = None,
             name: str | None = None, password: str = PASSWORD) -> User:
        n = next(_counter)
        return accounts.create_user(email or f"user{n}@example.org", name or f"User {n}",
                                    password, role, now=utcnow())

    @staticmethod
    def thread(key: str | None = None, title: str = "A post", is_open: bool = True) -> Thread:
        thread = create_thread(key or f"post-{next(_counter)}", title, "https://example.org/post",
                               site=None, now=utcnow())
        if not is_open:
            thread.is_open = False
            db.session.commit()
        return thread

    @staticmethod
    def comment(thread: Thread, author: User, body: str = "A thoughtful comment.",
                state: State | str = State.PENDING, parent: Comment | None = None,
                now: datetime | None = None) -> Comment:
        """A comment submitted through the real service, then moved to ``state``."""
        comment = submit_comment(thread, author, Submission(body, True, parent.id if parent else None),
                                 now=now or utcnow(), terms_version="test", max_length=20_000)
        path = {
            State.PENDING: [], State.APPROVED: [Action.APPROVE],
            State.REJECTED: [Action.REJECT], State.UNPUBLISHED: [Action.APPROVE, Action.UNPUBLISH],
            State.WITHDRAWN: [Action.WITHDRAW],
        }[State(state)]
        for action in path:
            actor = author if action == Action.WITHDRAW else None
            lifecycle.transition(comment, action, actor, now=utcnow(),
                                 reason="other" if action in (Action.REJECT, Action.UNPUBLISH) else None)
            db.session.commit()
        return comment


def csrf_token(client: FlaskClient, page: str) -> str:
    """The CSRF token of the form on ``page``, read as a browser would."""
    html = client.get(page).get_data(as_text=True)
    match = CSRF.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1) or match.group(2)


def post_form(client: FlaskClient, url: str, data: dict, page: str | None = None,
              **kwargs: object) -> TestResponse:
    """Submit a form the way a browser does: fetch the page, then post with its token."""
    token = csrf_token(client, page or url)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    """Sign in through the login form."""
    response = post_form(client, "/auth/login", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def establish(user: User, thread: Thread | None = None, days: int = 30) -> User:
    """Make ``user`` an established member (SPEC 2): an account ``days`` old with an approved
    comment, whose reports count toward hiding a comment automatically."""
    Builders.comment(thread or Builders.thread(), user, "An earlier, published comment.",
                     State.APPROVED)
    user.created_at = utcnow() - timedelta(days=days)
    db.session.commit()
    return user
