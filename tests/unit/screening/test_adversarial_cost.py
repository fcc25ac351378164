"""No comment costs much to render and screen, however crafted (SPEC 3: under 50 ms).

Every case of the generated corpus (``bench/adversarial_corpus.py``) goes through the
whole submission pipeline, timed in CPU time of this thread. The bound here is ten times
the target so that a loaded machine does not fail the suite; before the fix, 20,000
characters of ``(`` cost seconds. ``make bench`` checks the 50 ms target itself.
"""
from __future__ import annotations

import time
from datetime import datetime

import pytest
from safety_screening import assert_safe_html

from bench.adversarial_corpus import CASES, MAX_LENGTH, TARGET_SECONDS
from board.screening.links import find_links
from board.screening.pipeline import AuthorActivity, process
from board.screening.render import MARKUP_BUDGET, markup_cost, plain_html, render_markdown
from board.screening.wordlists import WordLists

BOUND = 10 * TARGET_SECONDS
LISTS = WordLists.defaults()
QUIET = AuthorActivity.none(datetime(2026, 1, 1, 12, 0))


def _cost(text: str) -> float:
    """CPU seconds of one submission's screening and rendering (the best of two runs when
    the first is over the bound, so that one descheduled moment does not fail it)."""
    best = float("inf")
    for _ in range(2):
        started = time.thread_time()
        process(text, QUIET, LISTS)
        best = min(best, time.thread_time() - started)
        if best < BOUND:
            break
    return best


def test_the_corpus_reaches_the_maximum_length() -> None:
    assert len(CASES) > 300
    assert max(len(text) for _, text in CASES) == MAX_LENGTH


@pytest.mark.parametrize("name, text", CASES, ids=[name for name, _ in CASES])
def test_a_crafted_comment_costs_little(name: str, text: str) -> None:
    LISTS.matcher  # built once per word-list version, not per comment
    assert _cost(text) < BOUND


def test_a_link_followed_by_parentheses_is_found_in_linear_time() -> None:
    text = "http://example.org/" + "(" * (MAX_LENGTH - 19)
    started = time.thread_time()
    links = find_links(text)
    assert time.thread_time() - started < BOUND
    assert [href for _, _, href in links] == [text]


@pytest.mark.parametrize("text, href", [
    ("see http://example.org/a_(b)).", "http://example.org/a_(b)"),
    ("(at www.example.org)", "http://www.example.org"),
    ("https://example.org/x?y=1, then", "https://example.org/x?y=1"),
    ("a@example.org", None),
    ("example.notatld", None),
    ("1-1-1-1-1-1.example", None),
])
def test_links_are_found_as_before(text: str, href: str | None) -> None:
    assert [h for _, _, h in find_links(text)] == ([href] if href else [])


def test_markdown_within_the_budget_is_rendered() -> None:
    text = "Some *emphasis*, a [link](https://example.org) and\n\n- a list\n" * 20
    assert markup_cost(text) <= MARKUP_BUDGET
    assert "<em>" in render_markdown(text) and "<li>" in render_markdown(text)


def test_markup_past_the_budget_is_shown_as_safe_plain_text() -> None:
    text = "- <b>item</b> at https://example.org/a?b=1&c=2\n" * 400
    assert markup_cost(text) > MARKUP_BUDGET
    html = render_markdown(text)
    assert "<li>" not in html and "&lt;b&gt;item&lt;/b&gt;" in html
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
    assert_safe_html(html)


@pytest.mark.parametrize("name, text", [
    (name, text) for name, text in CASES if markup_cost(text) > MARKUP_BUDGET
][::12])
def test_plain_text_fallback_is_safe(name: str, text: str) -> None:
    assert_safe_html(plain_html(text[:2000]))
