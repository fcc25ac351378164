"""Spam screen: links, repeats by the same author, shouting, bursts."""
from __future__ import annotations

from datetime import timedelta

import pytest
from helpers_screening import NOW, flags_of

from board.screening.activity import AuthorActivity
from board.screening.flags import Severity


def severities(text: str, activity: AuthorActivity | None = None) -> list[Severity]:
    return [f.severity for f in flags_of(text, "spam", activity or AuthorActivity.none(NOW))]


def links(n: int) -> str:
    return " ".join(f"see https://example{i}.org/page and" for i in range(n))


@pytest.mark.parametrize("n, expected", [
    (0, []), (1, []), (3, []), (4, [Severity.WARN]), (8, [Severity.WARN]),
    (9, [Severity.BLOCK]), (30, [Severity.BLOCK]),
])
def test_link_count(n: int, expected: list[Severity]) -> None:
    assert severities("Hello. " + links(n)) == expected


def test_www_and_markdown_links_count_once() -> None:
    text = "[a](https://a.org) [b](https://b.org) www.c.org http://d.org/x www.e.org"
    assert [f.detail for f in flags_of(text, "spam")] == ["5 links"]


def test_file_names_and_versions_are_not_links() -> None:
    assert severities("edit config.py, setup.cfg, v1.2.3, node.js, e.g. and i.e. " * 3) == []


BODY = "Please vote for the new park on Elm Street at the meeting next Tuesday evening."


@pytest.mark.parametrize("recent, expected", [
    ([], []),
    ([BODY], [Severity.BLOCK]),
    (["Something else entirely, about buses.", BODY], [Severity.BLOCK]),
    ([BODY.upper()], [Severity.BLOCK]),  # case and spacing do not matter
    (["  " + BODY.replace(" ", "   ") + "!!"], [Severity.BLOCK]),
    ([BODY.replace("Tuesday", "Wednesday")], [Severity.BLOCK]),  # near-exact
    ([BODY[:40]], []),  # only a part
    (["Thanks!"], []),
])
def test_repeats(recent: list[str], expected: list[Severity]) -> None:
    assert severities(BODY, AuthorActivity(recent, [], NOW)) == expected


def test_short_repeat_is_only_a_warning() -> None:
    assert severities("Thanks!", AuthorActivity(["thanks"], [], NOW)) == [Severity.WARN]


@pytest.mark.parametrize("text, expected", [
    ("THIS IS AN OUTRAGE AND I WANT ANSWERS NOW", [Severity.INFO]),
    ("THIS IS AN OUTRAGE. " * 10, [Severity.WARN]),
    ("The NHS and FBI and USA", []),  # acronyms in a short comment
    ("OK", []),
    ("This is a normal comment with SOME capitals in it, which is fine.", []),
])
def test_shouting(text: str, expected: list[Severity]) -> None:
    assert severities(text) == expected


@pytest.mark.parametrize("previous, expected", [
    (0, []), (3, []), (4, [Severity.WARN]), (8, [Severity.WARN]), (9, [Severity.BLOCK]),
])
def test_bursts(previous: int, expected: list[Severity]) -> None:
    times = [NOW - timedelta(seconds=30 * (i + 1)) for i in range(previous)]
    assert severities("Another comment.", AuthorActivity([], times, NOW)) == expected


def test_bursts_ignore_comments_outside_the_window() -> None:
    times = [NOW - timedelta(minutes=11 + i) for i in range(20)]
    assert severities("Another comment.", AuthorActivity([], times, NOW)) == []
