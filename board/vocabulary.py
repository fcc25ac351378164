"""The fixed words of the domain: states, actions, roles and rejection reasons."""
from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """Where a comment stands (SPEC 2)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    UNPUBLISHED = "unpublished"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    """What can happen to a comment (SPEC 2)."""

    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    UNPUBLISH = "unpublish"
    REPUBLISH = "republish"
    WITHDRAW = "withdraw"


class Role(StrEnum):
    """Account roles; moderators and admins are staff."""

    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class AccountStatus(StrEnum):
    """Whether an account may take part."""

    ACTIVE = "active"
    SUSPENDED = "suspended"


class Reason(StrEnum):
    """The fixed list of reasons for rejecting or unpublishing a comment."""

    UNLAWFUL = "unlawful"
    THREATENING = "threatening"
    DEFAMATORY = "defamatory"
    OBSCENE = "obscene"
    PORNOGRAPHIC = "pornographic"
    OFF_TOPIC = "off_topic"
    DISRESPECTFUL = "disrespectful"
    SPAM = "spam"
    PERSONAL_INFORMATION = "personal_information"
    OTHER = "other"

    @property
    def label(self) -> str:
        """A short name for staff screens."""
        return REASON_LABELS[self]

    @property
    def explanation(self) -> str:
        """The polite sentence shown to the comment's author."""
        return REASON_EXPLANATIONS[self]


REASON_LABELS: dict[Reason, str] = {
    Reason.UNLAWFUL: "Unlawful content",
    Reason.THREATENING: "Threatening",
    Reason.DEFAMATORY: "Defamatory",
    Reason.OBSCENE: "Obscene or profane",
    Reason.PORNOGRAPHIC: "Pornographic",
    Reason.OFF_TOPIC: "Off topic",
    Reason.DISRESPECTFUL: "Disrespectful",
    Reason.SPAM: "Spam or advertising",
    Reason.PERSONAL_INFORMATION: "Personal information",
    Reason.OTHER: "Other",
}

REASON_EXPLANATIONS: dict[Reason, str] = {
    Reason.UNLAWFUL: (
        "Thank you for taking the time to comment. We could not publish it because it appears "
        "to encourage or describe unlawful activity, which our comment policy does not allow."
    ),
    Reason.THREATENING: (
        "Thank you for taking the time to comment. We could not publish it because it contains "
        "language that could be read as a threat, and our comment policy asks that every "
        "discussion stay safe for everyone."
    ),
    Reason.DEFAMATORY: (
        "Thank you for taking the time to comment. We could not publish it because it makes "
        "claims about a person that could harm their reputation and that we cannot verify."
    ),
    Reason.OBSCENE: (
        "Thank you for taking the time to comment. We could not publish it because it contains "
        "obscene or profane language. You are welcome to make the same point in other words."
    ),
    Reason.PORNOGRAPHIC: (
        "Thank you for taking the time to comment. We could not publish it because it contains "
        "or links to sexually explicit material, which our comment policy does not allow."
    ),
    Reason.OFF_TOPIC: (
        "Thank you for taking the time to comment. We could not publish it because it does not "
        "relate to the subject of this post. Our contact page is the best place for other topics."
    ),
    Reason.DISRESPECTFUL: (
        "Thank you for taking the time to comment. We could not publish it because it addresses "
        "other people in a way our comment policy does not allow. Disagreement is welcome when "
        "it is respectful."
    ),
    Reason.SPAM: (
        "Thank you for taking the time to comment. We could not publish it because it looks like "
        "advertising or repeated content."
    ),
    Reason.PERSONAL_INFORMATION: (
        "Thank you for taking the time to comment. We could not publish it because it contains "
        "personal information, such as a case number, phone number or e-mail address. To protect "
        "you and others, please leave such details out."
    ),
    Reason.OTHER: (
        "Thank you for taking the time to comment. We could not publish it because it does not "
        "meet our comment policy. The moderator's note, if any, explains more."
    ),
}
