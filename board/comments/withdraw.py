"""Authors withdraw their own pending or approved comments."""
from __future__ import annotations

from datetime import datetime

from .. import lifecycle, reports
from ..errors import InvalidTransition, NotFound
from ..extensions import db
from ..models import Comment, User
from ..vocabulary import Action


def withdraw_comment(comment_id: int, author: User, now: datetime) -> Comment:
    """Withdraw the author's own comment and commit.

    Someone else's comment is ``NotFound`` (its existence is not revealed). A comment that
    a moderator decided meanwhile (before or during this request) raises ``InvalidTransition``
    or ``StaleVersion`` that tell the author only that it changed: never who changed it.
    """
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.author_id is None or comment.author_id != author.id:
        raise NotFound("You have no such comment.")
    try:
        lifecycle.transition(comment, Action.WITHDRAW, author, now=now,
                             expected_version=comment.version)
    except InvalidTransition:
        raise InvalidTransition(lifecycle.CHANGED_MEANWHILE) from None
    reports.resolve_open_reports(comment.id, now)
    db.session.commit()
    return comment
