"""Submission as the pages, the embed and the API call it: with this app's settings, and
idempotent when the submission carries a key."""
from __future__ import annotations

from flask import current_app

from ..models import Comment, Thread, User
from ..timeutil import utcnow
from . import idempotency
from .idempotency import AlreadyReceived, Receipt
from .service import Submission, submit_comment


def receive(thread: Thread, author: User, submission: Submission, scope: str = "api") -> Receipt:
    """Submit, or replay the first answer to a submission with the same key.

    ``scope`` is "api" for an ``Idempotency-Key`` header, "form" for a form's hidden key.
    """
    now = utcnow()
    held = None
    if submission.idempotency_key is not None:
        held = idempotency.claim(scope, submission.idempotency_key, idempotency.fingerprint(
            thread.key, submission.body, submission.consent, submission.parent_id))
        row = idempotency.find(author.id, held, now)
        if row is not None:
            return idempotency.replay(row, held)
    try:
        comment = submit_comment(
            thread, author, submission, now=now,
            terms_version=current_app.config["TERMS_VERSION"],
            max_length=current_app.config["COMMENT_MAX_LENGTH"], claim=held,
        )
    except idempotency.KeyTaken:  # the same key at the same moment: the first one won
        assert held is not None
        row = idempotency.find(author.id, held, now)
        if row is None:
            raise
        return idempotency.replay(row, held)
    return Receipt(comment.id, 202, {"id": comment.id, "state": comment.state.value},
                   comment=comment)


def submit(thread: Thread, author: User, submission: Submission) -> Comment:
    """A form's submission; ``AlreadyReceived`` if the same form was sent before."""
    receipt = receive(thread, author, submission, scope="form")
    if receipt.replayed:
        raise AlreadyReceived()
    return receipt.comment
