"""Word lists: defaults, admin overrides, and matchers built once per list version."""
from __future__ import annotations

import json

import pytest

from board.screening.wordlists import WordLists, base_profanity


def test_defaults_are_shipped() -> None:
    lists = WordLists.defaults()
    assert lists is WordLists.defaults()
    assert "fuck" in base_profanity() and len(base_profanity()) > 800
    assert "moby dick" in lists.profanity_allow
    assert "i will kill you" in lists.threat
    assert lists.unlawful and lists.defamation and lists.obscene
    assert "pornhub.com" in lists.blocked_domains


def test_overrides_replace_only_given_lists() -> None:
    lists = WordLists.from_overrides({"threat": [" You Are  Toast ", "you are toast", ""],
                                      "blocked_domains": ["WWW.Bad.Example."]})
    assert lists.threat == ("you are toast",)
    assert lists.blocked_domains == frozenset({"bad.example"})
    assert lists.unlawful == WordLists.defaults().unlawful
    assert WordLists.from_overrides({}) == WordLists.defaults()


def test_round_trip_through_json() -> None:
    lists = WordLists.from_overrides({"profanity_extra": ["frak"]})
    stored = json.loads(json.dumps(lists.to_mapping()))
    assert WordLists.from_overrides(stored) == lists


@pytest.mark.parametrize("bad", [
    {"threats": ["x"]},  # unknown list
    {"threat": "i will kill you"},  # a string, not a list of strings
    {"threat": ["ok", 3]},
    {"blocked_domains": None},
])
def test_bad_overrides(bad: dict) -> None:
    with pytest.raises(ValueError):
        WordLists.from_overrides(bad)


def test_matcher_is_built_once_per_list_version() -> None:
    a = WordLists.from_overrides({"profanity_extra": ["frak"]})
    b = WordLists.from_overrides({"profanity_extra": ["frak"]})
    assert a is not b and a == b and hash(a) == hash(b)
    assert a.matcher is b.matcher
    assert a.matcher is not WordLists.defaults().matcher
