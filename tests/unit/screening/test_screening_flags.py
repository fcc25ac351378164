"""Flags: the stored JSON form round-trips and malformed data is refused."""
from __future__ import annotations

import json

import pytest

from board.screening.flags import Flag, Severity


@pytest.mark.parametrize("flag", [
    Flag("profanity", Severity.WARN, 'profanity "fuck"', (3, 7)),
    Flag("spam", Severity.BLOCK, "12 links", None),
    Flag("personal_information", Severity.INFO, "US phone number", (0, 0)),
])
def test_round_trip_through_json(flag: Flag) -> None:
    stored = json.loads(json.dumps(flag.to_dict()))
    assert stored["severity"] in {"info", "warn", "block"}
    assert Flag.from_dict(stored) == flag


def test_to_dict_shape() -> None:
    assert Flag("threat", Severity.BLOCK, "x", (1, 2)).to_dict() == {
        "code": "threat", "severity": "block", "detail": "x", "span": [1, 2],
    }


@pytest.mark.parametrize("bad", [
    {},
    {"code": "spam"},
    {"code": "spam", "severity": "fatal", "detail": ""},
    {"code": "spam", "severity": "warn", "detail": "", "span": [3]},
    {"code": "spam", "severity": "warn", "detail": "", "span": [5, 2]},
    {"code": "spam", "severity": "warn", "detail": "", "span": ["a", 2]},
    {"code": 3, "severity": "warn", "detail": ""},
])
def test_from_dict_refuses_malformed(bad: dict) -> None:
    with pytest.raises(ValueError):
        Flag.from_dict(bad)
