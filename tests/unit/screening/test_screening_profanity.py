"""Profanity screen: better-profanity's decisions, its misses and false positives fixed."""
from __future__ import annotations

import pytest
from better_profanity import Profanity
from helpers_screening import LISTS, flagged, flags_of

from board.screening.flags import Severity
from board.screening.wordlists import WordLists

# Sentences where the screen must agree with better-profanity's contains_profanity.
AGREE = [
    ("Thanks for posting the minutes of the meeting.", False),
    ("What the fuck is this?", True),
    ("This is bullshit.", True),
    ("You are an asshole.", True),
    ("You're an a$$hole.", True),
    ("Stop being such a b1tch.", True),
    ("Shit happens.", True),
    ("That's a load of crap.", True),
    ("He is a dumbass.", True),
    ("What a jackass.", True),
    ("You motherfucker.", True),
    ("Mother fucker!", True),
    ("Son of a bitch.", True),
    ("He's such a dick.", True),
    ("Goddamn it.", True),
    ("Piss off mate.", True),
    ("Don't be a wanker.", True),
    ("She's a slut.", True),
    ("F*ck this.", True),
    ("Sh1t.", True),
    ("fvck you", True),
    ("The bridge is in Scunthorpe.", False),
    ("The assessment was fair.", False),
    ("I had a cocktail at the bar.", False),
    ("Shiitake mushrooms are tasty.", False),
    ("He lives in Sussex, near Essex and Middlesex.", False),
    ("Our analysis of the class was thorough.", False),
    ("The grass is greener.", False),
    ("My therapist helped me.", False),
    ("The cockpit was small.", False),
    ("I will assess the passage.", False),
    ("Pass the bass, please.", False),
    ("She'll be right, we'll see.", False),
    ("He'll be there.", False),
    ("Hello world, nice day.", False),
    ("f u c k off", True),  # better-profanity joins up to four following words
    ("fu\u00adck", True),
    ("fu\u200bck", True),
]

# Where the screen deliberately differs from better-profanity (its known misses and
# false positives): (text, better-profanity's answer, ours).
IMPROVED = [
    ("fuuuuuck off", False, True),  # repeated letters
    ("f.u.c.k off", True, True),  # better-profanity lists this one literally
    ("s . h . i . t", False, True),
    ("S.O.B.", False, True),
    ("ｆｕｃｋ this", False, True),  # full-width letters
    ("Ѕhіt", False, True),  # Cyrillic look-alikes
    ("ѕhιt", False, True),  # Cyrillic and Greek
    ("Fück this", False, True),  # accents
    ("Fuck's sake.", False, True),  # contraction
    ('"fuck"', False, True),  # quotes
    ("Dick Cheney was vice president.", True, False),  # allowlisted names
    ("I read Moby Dick last summer.", True, False),
    ("The pen is mightier than the sword.", True, False),  # no "pen is" -> "penis"
    ("Oh my god this is great.", True, False),  # neutral words in the default allowlist
    ("HIV testing is free.", True, False),
    ("She graduated magna cum laude.", True, False),
    ("fuuuuck", False, True),
    ("f u u u c k", False, True),
    ("f_u_u_u_c_k", False, True),
    ("Sexual harassment training starts Monday.", True, False),
]


@pytest.fixture(scope="module")
def reference() -> Profanity:
    return Profanity()


@pytest.mark.parametrize("text, expected", AGREE)
def test_agrees_with_better_profanity(reference: Profanity, text: str, expected: bool) -> None:
    assert reference.contains_profanity(text) is expected
    assert bool(flags_of(text, "profanity")) is expected


@pytest.mark.parametrize("text, theirs, ours", IMPROVED)
def test_documented_improvements(reference: Profanity, text: str, theirs: bool,
                                 ours: bool) -> None:
    assert reference.contains_profanity(text) is theirs
    assert bool(flags_of(text, "profanity")) is ours


@pytest.mark.parametrize("text, expected", [
    ("What the fuck", ["fuck"]),
    ("fuuuuck you", ["fuuuuck"]),
    ("well f u c k this", ["f u c k"]),
    ("f-u-c-k", ["f-u-c-k"]),
    ("ＦＵＣＫ", ["ＦＵＣＫ"]),
    ("**fuck** it", ["**fuck**"]),
    ("a$$hole and @ss", ["a$$hole", "@ss"]),
    ("sh!t and sh1t", ["sh!t", "sh1t"]),
    ("x bullshit y bullshit", ["bullshit", "bullshit"]),
    ("He's a mother fucker", ["mother fucker"]),  # the phrase, not also its last word
    ("Moby Dick is fine but you are a dick", ["dick"]),
])
def test_spans_point_at_the_raw_text(text: str, expected: list[str]) -> None:
    assert flagged(text, "profanity") == expected


@pytest.mark.parametrize("text", [
    "Scunthorpe", "assessment", "cocktail", "shiitake", "Sussex", "Essex", "Middlesex",
    "analysis", "class", "grass", "therapist", "classic bass", "U S A", "A B C D",
    "I was at the annals of history", "Dick Cheney", "Moby Dick", "Philip K. Dick",
    "the pen is mightier", "a s a p", "Hell's Kitchen", "he'll do it", "Dr. Dickens",
    "2026-11-23", "cum laude", "Shi Jinping", "shi+",
])
def test_hard_negatives(text: str) -> None:
    assert flags_of(text, "profanity") == [], text


def test_flags_are_warnings_with_the_listed_word() -> None:
    [flag] = flags_of("you b1tch", "profanity")
    assert flag.severity is Severity.WARN
    assert flag.detail == 'profanity "bitch"'


def test_admin_lists_extend_and_allow() -> None:
    lists = WordLists.from_overrides({
        "profanity_extra": ["frak", "smeg head"],
        "profanity_allow": ["bastard", "little shit"],
    })
    assert flagged("frak this smeg head", "profanity", lists=lists) == ["frak", "smeg head"]
    assert flagged("FRAAAAK", "profanity", lists=lists) == ["FRAAAAK"]
    assert flagged("you bastard", "profanity", lists=lists) == []
    assert flagged("that little shit", "profanity", lists=lists) == []
    assert flagged("that shit", "profanity", lists=lists) == ["shit"]
    assert flagged("frak", "profanity", lists=LISTS) == []
