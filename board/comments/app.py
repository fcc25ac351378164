"""Submission as the pages, the embed and the API call it: with this app's settings."""
from __future__ import annotations

from flask import current_app

from ..models import Comment, Thread, User
from ..timeutil import utcnow
from .service import Submission, submit_comment


def submit(thread: Thread, author: User, submission: Submission) -> Comment:
    """``submit_comment`` now, with the configured terms version and length limit."""
    return submit_comment(
        thread, author, submission, now=utcnow(),
        terms_version=current_app.config["TERMS_VERSION"],
        max_length=current_app.config["COMMENT_MAX_LENGTH"],
    )
