"""Policy: settings from stored JSON, and the verdict on a new comment."""
from __future__ import annotations

import pytest

from board.screening.flags import Flag, Severity
from board.screening.policy import PolicySettings, Verdict, decide, risk_of

SPAM_CERTAIN = Flag("spam", Severity.BLOCK, "12 links", None)
SHOUTING = Flag("spam", Severity.INFO, "mostly capital letters (shouting)", None)
THREAT = Flag("threat", Severity.BLOCK, 'threatening phrase "i will kill you"', (0, 15))
SWEAR = Flag("profanity", Severity.WARN, 'profanity "damn"', (0, 4))
PII = Flag("personal_information", Severity.BLOCK, "US Social Security number", (0, 11))
TRUSTING = PolicySettings(premoderate_all=False, auto_approve_after=5)


@pytest.mark.parametrize("flags, approved, settings, expected", [
    ([], 100, PolicySettings(), "pending"),  # default: everything pre-moderated
    ([], 5, TRUSTING, "approved"),
    ([], 4, TRUSTING, "pending"),  # not yet trusted
    ([SHOUTING], 50, TRUSTING, "pending"),  # any flag keeps it for a moderator
    ([], 50, PolicySettings(premoderate_all=False), "pending"),  # 0 = auto-approve off
    ([], 50, PolicySettings(premoderate_all=True, auto_approve_after=1), "pending"),
    ([SPAM_CERTAIN], 0, PolicySettings(), "pending"),  # auto-reject is opt-in
    ([SPAM_CERTAIN], 0, PolicySettings(auto_reject_certain_spam=True), "rejected"),
    ([SHOUTING], 0, PolicySettings(auto_reject_certain_spam=True), "pending"),
    ([THREAT], 0, PolicySettings(auto_reject_certain_spam=True), "pending"),
])
def test_decide_state(flags: list[Flag], approved: int, settings: PolicySettings,
                      expected: str) -> None:
    verdict = decide(flags, approved, settings)
    assert verdict.state == expected
    assert verdict.reason == ("spam" if expected == "rejected" else None)


def test_risk_orders_the_queue() -> None:
    assert risk_of([]) == 0
    assert risk_of([SHOUTING]) < risk_of([SWEAR]) < risk_of([SPAM_CERTAIN]) < risk_of([THREAT])
    assert risk_of([SWEAR]) < risk_of([SWEAR, SWEAR])
    assert risk_of([PII] * 50) == 100
    assert all(0 <= risk_of([f]) <= 100 for f in (SPAM_CERTAIN, SHOUTING, THREAT, SWEAR, PII))
    assert decide([THREAT], 0, PolicySettings()) == Verdict("pending", risk_of([THREAT]), None)


def test_settings_round_trip_and_defaults() -> None:
    assert PolicySettings.from_mapping({}) == PolicySettings()
    custom = PolicySettings(False, 3, True, 5)
    assert PolicySettings.from_mapping(custom.to_mapping()) == custom
    assert PolicySettings.from_mapping({"report_threshold": 7, "unknown": 1}).report_threshold == 7


@pytest.mark.parametrize("bad", [
    {"premoderate_all": "yes"},
    {"premoderate_all": 1},
    {"auto_approve_after": True},
    {"auto_approve_after": "3"},
    {"auto_approve_after": 2.5},
    {"auto_approve_after": -1},
    {"report_threshold": 0},
    {"auto_reject_certain_spam": None},
])
def test_settings_reject_wrong_types(bad: dict) -> None:
    with pytest.raises(ValueError):
        PolicySettings.from_mapping(bad)
