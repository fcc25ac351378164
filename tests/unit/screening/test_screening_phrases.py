"""Threat, unlawful, defamation and obscene screens: phrase lists and blocked domains."""
from __future__ import annotations

import pytest
from helpers_screening import flagged, flags_of

from board.screening.flags import Severity
from board.screening.matching import Matcher
from board.screening.normalize import normalize
from board.screening.wordlists import WordLists


@pytest.mark.parametrize("code, text, expected", [
    ("threat", "I will kill you", ["I will kill you"]),
    ("threat", "i WILL kiiiill you!!", ["i WILL kiiiill you"]),
    ("threat", "I'll kill you, I know where you live.", ["I'll kill you", "I know where you live"]),
    ("threat", "You will regret this", ["You will regret"]),
    ("threat", "Someone should burn down the office", ["burn down"]),
    ("threat", "I  KNOW\nwhere   you live", ["I  KNOW\nwhere   you live"]),
    ("threat", "ı wіll kіll you", ["ı wіll kіll you"]),  # look-alike letters
    ("threat", "1 w1ll k1ll y0u", ["1 w1ll k1ll y0u"]),  # leetspeak
    ("unlawful", "Where can I buy drugs?", ["buy drugs"]),
    ("unlawful", "selling fake passports cheap", ["fake passports"]),
    ("unlawful", "how to make a bomb at home", ["how to make a bomb"]),
    ("defamation", "The mayor is a criminal and stole money", ["is a criminal", "stole money"]),
    ("defamation", "Councillor Smith is a FRAUD", ["is a FRAUD"]),
    ("defamation", "he is a pedophile", ["is a pedophile"]),
    ("obscene", "free porn here", ["free porn"]),
    ("obscene", "send nudes", ["send nudes"]),
    ("obscene", "XXX videos", ["XXX"]),
])
def test_positives(code: str, text: str, expected: list[str]) -> None:
    assert flagged(text, code) == expected


def test_phrases_match_whole_words_only() -> None:
    assert flagged("I will killjoy you", "threat") == []
    assert flagged("this is a criminally underrated park", "defamation") == []
    assert flagged("wil kil you", "threat") == []


@pytest.mark.parametrize("text", [
    "The criminal justice bill passed.",
    "Is a fraud investigation under way?",  # "is a fraud" needs the words in that order...
    "I will not regret coming",
    "The kill switch on the machine is red.",
    "Our analysis of drugs policy: buy-in from the community.",
    "Please let x be 3 x 4",
    "He was a criminal lawyer",
    "The bombastic speech",
    "Burning down the house was a Talking Heads song",
    "Essex, Sussex and Middlesex councils",
])
def test_hard_negatives(text: str) -> None:
    codes = {"threat", "unlawful", "obscene"}
    if not text.startswith("Is a fraud"):
        codes.add("defamation")
    for code in codes:
        assert flags_of(text, code) == [], (code, text)


def test_severities() -> None:
    assert [f.severity for f in flags_of("I will kill you", "threat")] == [Severity.BLOCK]
    assert [f.severity for f in flags_of("buy drugs", "unlawful")] == [Severity.BLOCK]
    assert [f.severity for f in flags_of("he is a fraud", "defamation")] == [Severity.WARN]
    assert [f.severity for f in flags_of("porn", "obscene")] == [Severity.WARN]


@pytest.mark.parametrize("text, expected", [
    ("see pornhub.com", ["pornhub.com"]),
    ("see https://www.pornhub.com/view?x=1", ["pornhub.com"]),
    ("see https://fr.pornhub.com/x", ["pornhub.com"]),
    ("see [this](http://xvideos.com)", ["xvideos.com"]),
    ("see PORNHUB.COM", ["PORNHUB.COM"]),
    ("see pоrnhub.com", ["pоrnhub.com"]),  # Cyrillic o
    ("see ｐｏｒｎｈｕｂ．ｃｏｍ", ["ｐｏｒｎｈｕｂ．ｃｏｍ"]),
    ("see e-hentai.org", ["e-hentai.org"]),
])
def test_blocked_domains(text: str, expected: list[str]) -> None:
    found = [f for f in flags_of(text, "obscene") if f.severity is Severity.BLOCK]
    assert [text[f.span[0]:f.span[1]] for f in found if f.span] == expected
    assert all(f.severity is Severity.BLOCK and "blocked domain" in f.detail for f in found)


@pytest.mark.parametrize("text", [
    "see notpornhub.com", "see my-pornhub.com", "see pornhub.community",
    "see pornhub com", "see example.com/pornhub", "mail me at a@pornhub.company.org",
])
def test_domains_not_blocked(text: str) -> None:
    assert [f for f in flags_of(text, "obscene") if "domain" in f.detail] == []


def test_admin_phrase_lists_replace_defaults() -> None:
    lists = WordLists.from_overrides({"threat": ["you are toast"],
                                      "blocked_domains": ["www.Bad.Example"]})
    assert flagged("you are toast", "threat", lists=lists) == ["you are toast"]
    assert flagged("I will kill you", "threat", lists=lists) == []
    assert flagged("go to sub.bad.example now", "obscene", lists=lists) == ["bad.example"]
    assert flagged("I will kill you", "threat") == ["I will kill you"]


def test_matcher_cost_does_not_grow_with_list_size() -> None:
    # 20,000 phrases: matching walks a trie over the comment's words, so it stays linear.
    phrases = [f"alpha{i} beta{i} gamma" for i in range(20_000)]
    matcher = Matcher([], [], {"threat": phrases})
    text = "nothing here " * 200 + "alpha19999 beta19999 gamma"
    [hit] = matcher.scan(normalize(text))
    assert (hit.category, hit.entry) == ("threat", "alpha19999 beta19999 gamma")
