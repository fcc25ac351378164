"""Authors withdraw their own pending or approved comments."""
from __future__ import annotations

from datetime import datetime

from .. import lifecycle, reports
from ..errors import NotFound
from ..extensions import db
from ..models import Comment, User
from ..vocabulary import Action


def withdraw_comment(comment_id: int, author: User, now: datetime) -> Comment:
    """Withdraw the author's own comment and commit.

    Someone else's comment is ``NotFound`` (its existence is not revealed); a comment that
    is neither pending nor approved raises ``InvalidTransition``.
    """
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.author_id is None or comment.author_id != author.id:
        raise NotFound("You have no such comment.")
    lifecycle.transition(comment, Action.WITHDRAW, author, now=now,
                         expected_version=comment.version)
    reports.resolve_open_reports(comment.id, now)
    db.session.commit()
    return comment
