"""The pipeline: every screen runs, failures become flags, output is always safe HTML."""
from __future__ import annotations

import pytest
from helpers_screening import LISTS, NOW, QUIET
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safety_screening import assert_safe_html

from board.screening import pipeline
from board.screening.activity import AuthorActivity
from board.screening.flags import Flag, Severity
from board.screening.pipeline import MASK, Screened, process, screen


def boom(*args: object) -> list[Flag]:
    raise RuntimeError(f"failed on {args[0]!r}")  # quotes the comment, as errors may


def test_process_renders_flags_and_masks() -> None:
    text = "What the **fuck**. Call me: 202-555-0143.\n\nI will kill you."
    result = process(text, QUIET, LISTS)
    assert isinstance(result, Screened)
    assert {f.code for f in result.flags} == {"profanity", "personal_information", "threat"}
    assert "<strong>fuck</strong>" in result.html
    assert "0143" not in result.html and MASK in result.html
    for flag in result.flags:
        assert flag.span is not None and 0 <= flag.span[0] < flag.span[1] <= len(text)
    assert_safe_html(result.html)


def test_clean_comment_has_no_flags() -> None:
    text = "Thanks for the update on the Elm Street park. See https://example.org/plan."
    result = process(text, QUIET, LISTS)
    assert result.flags == []
    assert 'href="https://example.org/plan"' in result.html


def test_a_failing_screen_becomes_a_flag_and_the_others_still_run(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    screens = list(pipeline.SCREENS)
    screens.insert(0, ("broken", boom))
    monkeypatch.setattr(pipeline, "SCREENS", tuple(screens))
    flags = screen("you bastard, call 202-555-0143", QUIET, LISTS)
    errors = [f for f in flags if f.code == "screen_error"]
    assert errors == [Flag("screen_error", Severity.WARN,
                           "the broken screen failed (RuntimeError)", None)]
    assert {f.code for f in flags} == {"screen_error", "profanity", "personal_information"}
    assert "6789" not in caplog.text  # the exception message may quote the comment


def test_a_failing_renderer_falls_back_to_escaped_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "render_markdown", boom)
    result = process("<b>hi</b> & SSN 123-45-6789\n\nsecond", QUIET, LISTS)
    assert result.html == (f"<p>&lt;b&gt;hi&lt;/b&gt; &amp; SSN {MASK}</p>\n"
                           "<p>second</p>\n")
    assert [f.detail for f in result.flags if f.code == "screen_error"] == [
        "rendering failed (RuntimeError)"]
    assert_safe_html(result.html)


def test_a_failing_word_list_does_not_lose_the_comment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(type(LISTS), "matcher", property(boom))
    result = process("call 202-555-0143", QUIET, LISTS)
    assert "0143" not in result.html
    assert [f.code for f in result.flags].count("screen_error") == 3  # the three word screens


def test_activity_none() -> None:
    activity = AuthorActivity.none(NOW)
    assert (list(activity.recent_bodies), list(activity.recent_times), activity.now) == (
        [], [], NOW)


FRAGMENTS = st.sampled_from([
    "<script>alert(1)</script>", "[x](javascript:alert(1))", "<a href='javascript:x'>",
    "**", "_", "`", "```\n", "> ", "- ", "1. ", "\n\n", "  \n", "[", "]", "(", ")", "<", ">",
    "&", "&#", "&#x6A;", "javascript:", "http://", "www.", "@", "mailto:", "\\", "!",
    "202-555-0143", "123-45-6789", "a@b.com", "4111 1111 1111 1111", "fuck", "f u c k",
    "\x00", "\u200b", "\ud800", "ｆ", "Ѕ", "\r", "\t", "<svg onload=x>", "<!--", "-->",
])
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=5)), max_size=40).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_process_never_raises_and_never_emits_unsafe_markup(text: str) -> None:
    result = process(text, QUIET, LISTS)
    assert isinstance(result.html, str)
    assert_safe_html(result.html)
    for flag in result.flags:
        assert flag.code != "screen_error", flag
        assert Flag.from_dict(flag.to_dict()) == flag
        if flag.span is not None:
            assert 0 <= flag.span[0] <= flag.span[1] <= len(text)
