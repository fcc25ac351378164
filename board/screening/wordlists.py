"""Admin-managed word and phrase lists, with the defaults shipped in the package.

The profanity base list is better-profanity's own ``profanity_wordlist.txt``, read once;
admins add words (``profanity_extra``) and allow words or phrases (``profanity_allow``).
A phrase in the allowlist suppresses profanity matches inside it ("Moby Dick").
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from importlib import resources
from typing import Any

from .matching import Matcher

PHRASE_CATEGORIES = ("threat", "unlawful", "defamation", "obscene")

# Names, places and neutral words that better-profanity's list flags on its own.
DEFAULT_PROFANITY_ALLOW = frozenset({
    "dick cheney", "moby dick", "moby-dick", "philip k dick", "philip k. dick", "dick van dyke",
    "dick tracy", "dick grayson", "dick smith", "dick turpin", "dick whittington",
    "spotted dick", "dick's sporting goods", "tom dick and harry", "tom, dick and harry",
    "big dick's", "cock robin", "weather cock", "cock a doodle doo", "cocker spaniel",
    "hell's kitchen", "hells kitchen", "hell's canyon", "hells canyon", "hells angels",
    "hell's angels", "kill switch", "kill the bill", "pot luck", "pot hole", "pot holes",
    "rum runner", "fat tuesday", "uzi vert", "cum laude", "magna cum laude",
    "summa cum laude",
    # Neutral or clinical words that the list flags and a public forum must allow.
    "god", "gay", "gays", "sex", "sexual", "transsexual", "hiv", "pms", "pcp", "pot",
    "rum", "fat", "pee", "omg", "len", "niggle", "penetrate", "penetration", "penile",
    "prostitute", "hell", "kill", "gai", "gae", "nad", "wad", "uzi",
})

DEFAULT_THREAT = (
    "i will kill you", "i'll kill you", "ill kill you", "i am going to kill you",
    "i'm going to kill you", "im going to kill you", "gonna kill you", "i will kill",
    "i'll kill", "i will hurt you", "i'll hurt you", "i will find you", "i'll find you",
    "you will regret", "you'll regret", "i know where you live", "i know where your kids",
    "burn down", "burn your house", "set fire to your", "shoot you", "i will shoot",
    "i'll shoot", "put a bullet in", "slit your throat", "beat you up", "hunt you down",
    "you deserve to die", "you should die", "should be shot", "should be hanged",
    "hang them all", "i hope you die", "you are dead", "you're dead", "dead meat",
    "watch your back", "kill yourself", "go kill yourself", "kys", "blow up your",
    "bomb your", "i will rape", "i'll rape", "you will pay for this", "i will end you",
    "i'll end you", "going to shoot up", "shoot up the",
)

DEFAULT_UNLAWFUL = (
    "buy drugs", "sell drugs", "selling drugs", "buy cocaine", "buy heroin", "buy meth",
    "buy fentanyl", "fentanyl for sale", "cocaine for sale", "fake passport",
    "fake passports", "fake id", "fake ids", "fake driver's license", "fake green card",
    "fake social security card", "forged documents", "counterfeit money",
    "counterfeit bills", "how to make a bomb", "how to build a bomb", "make a bomb",
    "pipe bomb", "hire a hitman", "hitman for hire", "child porn", "child pornography",
    "stolen credit cards", "stolen cards for sale", "buy stolen", "cvv dumps",
    "dumps with pin", "fullz", "launder money", "money laundering service",
    "untraceable gun", "ghost gun for sale", "buy guns without background check",
    "ddos for hire", "hack into", "buy a green card", "ssn for sale", "sell my vote",
    "buy votes", "human trafficking", "visa fraud",
)

DEFAULT_DEFAMATION = (
    "is a criminal", "is a fraud", "is a pedophile", "is a paedophile", "is a rapist",
    "is a murderer", "is a thief", "is a crook", "is a scammer", "is a con artist",
    "is corrupt", "are corrupt", "is a child molester", "molests children",
    "abuses children", "stole money", "stole public money", "stole taxpayer money",
    "stole from", "embezzled", "is embezzling", "takes bribes", "took bribes",
    "took a bribe", "accepts bribes", "is on the take", "cooked the books",
    "committed fraud", "commits fraud", "is a drug dealer", "is a terrorist",
    "rigged the", "falsified records",
)

DEFAULT_OBSCENE = (
    "porn", "porno", "pornography", "pornographic", "xxx", "nudes", "send nudes",
    "nude pics", "nude photos", "nude video", "sex tape", "sex video", "sex videos",
    "hardcore sex", "hardcore porn", "free porn", "blowjob", "blow job", "cumshot",
    "gangbang", "gang bang", "creampie", "milf", "hentai", "camgirl", "camgirls",
    "cam girls", "live sex", "sex chat", "sexting", "dick pic", "dick pics", "onlyfans",
    "escort service", "erotic massage", "happy ending massage", "barely legal",
)

DEFAULT_BLOCKED_DOMAINS = frozenset({
    "pornhub.com", "xvideos.com", "xnxx.com", "xhamster.com", "redtube.com",
    "youporn.com", "youjizz.com", "spankbang.com", "brazzers.com", "chaturbate.com",
    "onlyfans.com", "stripchat.com", "livejasmin.com", "cam4.com", "bongacams.com",
    "eporner.com", "tube8.com", "motherless.com", "rule34.xxx", "e-hentai.org",
})


_SET_FIELDS = frozenset({"profanity_extra", "profanity_allow", "blocked_domains"})


@functools.cache
def base_profanity() -> frozenset[str]:
    """better-profanity's shipped word list, read once."""
    text = resources.files("better_profanity").joinpath("profanity_wordlist.txt").read_text(
        encoding="utf-8"
    )
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def _clean(values: Iterable[str], key: str) -> list[str]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise ValueError(f"{key} must be a list of strings")
    out: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise ValueError(f"{key} must contain only strings")
        value = " ".join(value.split()).lower()
        if value and value not in out:
            out.append(value)
    return out


@dataclass(frozen=True)
class WordLists:
    """The lists the word screens use; compare equal when their contents are equal."""

    profanity_extra: frozenset[str]
    profanity_allow: frozenset[str]
    threat: tuple[str, ...]
    unlawful: tuple[str, ...]
    defamation: tuple[str, ...]
    obscene: tuple[str, ...]
    blocked_domains: frozenset[str]

    @classmethod
    def defaults(cls) -> WordLists:
        """The lists shipped with Board."""
        return _DEFAULTS

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, Iterable[str]]) -> WordLists:
        """Lists from stored admin settings; a missing key keeps the default list.

        Raises ``ValueError`` for an unknown key or a value that is not a list of strings.
        """
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise ValueError(f"unknown word list: {', '.join(sorted(map(str, unknown)))}")
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in overrides:
                values[f.name] = getattr(_DEFAULTS, f.name)
                continue
            items = _clean(overrides[f.name], f.name)
            if f.name == "blocked_domains":
                items = [d.strip(".").removeprefix("www.") for d in items]
            values[f.name] = frozenset(items) if f.name in _SET_FIELDS else tuple(items)
        return cls(**values)

    def to_mapping(self) -> dict[str, list[str]]:
        """Every list as a JSON-serialisable mapping (sets sorted)."""
        out: dict[str, list[str]] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = sorted(value) if isinstance(value, frozenset) else list(value)
        return out

    @functools.cached_property
    def matcher(self) -> Matcher:
        """The compiled matcher for these lists, built once and shared by equal instances."""
        return _matcher(self)


@functools.lru_cache(maxsize=8)
def _matcher(lists: WordLists) -> Matcher:
    return Matcher(
        profanity=base_profanity() | lists.profanity_extra,
        allow=lists.profanity_allow,
        phrases={category: getattr(lists, category) for category in PHRASE_CATEGORIES},
        domains=lists.blocked_domains,
    )


_DEFAULTS = WordLists(
    profanity_extra=frozenset(),
    profanity_allow=DEFAULT_PROFANITY_ALLOW,
    threat=DEFAULT_THREAT,
    unlawful=DEFAULT_UNLAWFUL,
    defamation=DEFAULT_DEFAMATION,
    obscene=DEFAULT_OBSCENE,
    blocked_domains=DEFAULT_BLOCKED_DOMAINS,
)
