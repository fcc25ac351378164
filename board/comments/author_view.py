"""Where a comment stands, in the words its author reads (My comments, the API).

One source for every surface, so that none tells the author a reason nobody decided: a
comment hidden automatically by readers' reports has no reason (``Comment.reason`` is
NULL), and its author is told it is hidden while moderators review the reports.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..models import Comment
from ..vocabulary import Reason, State

STATE_WORDS = {
    State.PENDING: "Awaiting moderation",
    State.APPROVED: "Published",
    State.REJECTED: "Not published",
    State.UNPUBLISHED: "Removed from the page",
    State.WITHDRAWN: "Withdrawn by you",
}
UNDER_REVIEW_WORDS = "Hidden for review"
UNDER_REVIEW = ("Your comment is hidden while our moderators review reports about it. "
                "Nobody has decided anything about it yet; you will see the outcome here.")


@dataclass(frozen=True)
class AuthorStatus:
    """The state in words, and either the decided reason or the review notice."""

    words: str
    reason: Reason | None
    under_review: bool

    @property
    def explanation(self) -> str | None:
        """The sentence the author reads under the comment, if any."""
        if self.under_review:
            return UNDER_REVIEW
        return self.reason.explanation if self.reason else None


def is_under_review(comment: Comment) -> bool:
    """Hidden automatically by readers' reports, waiting for a moderator (no reason decided)."""
    return comment.state == State.UNPUBLISHED and comment.reason is None


def author_status(comment: Comment) -> AuthorStatus:
    """How the comment's author is told where it stands."""
    state = State(comment.state)
    if is_under_review(comment):
        return AuthorStatus(UNDER_REVIEW_WORDS, None, True)
    decided = state in (State.REJECTED, State.UNPUBLISHED)
    reason = Reason(comment.reason) if decided and comment.reason is not None else None
    return AuthorStatus(STATE_WORDS[state], reason, False)
