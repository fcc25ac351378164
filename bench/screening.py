"""Screening benchmark (SPEC 8): per-comment time of the screens and of the whole pipeline.

Run from the repository root: ``python bench/screening.py`` (``make bench``).
Prints median and p99 per comment for 200 B, 2 KB and 20 KB comments, for ``screen``
(the screens alone) and ``process`` (screens + masking + Markdown + bleach), comments per
second, and better-profanity's ``contains_profanity`` on 200 B as the reference.
Targets: screens on 2 KB < 1 ms median and < 5 ms p99; whole pipeline on 2 KB < 5 ms median.
"""
from __future__ import annotations

import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from board.screening.pipeline import AuthorActivity, process, screen  # noqa: E402
from board.screening.wordlists import WordLists  # noqa: E402

PROSE = (
    "The new bus timetable starts on Monday and the council says it will cut waiting times. "
    "I have lived on Elm Street for twenty years and the traffic near the school is worse "
    "than ever. Could the agency publish the full assessment, not just the summary? "
    "My neighbour in Middlesex had the same problem with the permit office last spring. "
    "Honestly the consultation was a damn mess, but the staff at the desk were helpful. "
    "Why does it take six weeks to answer a simple question about parking permits? "
    "This is bullshit, frankly, and people deserve better answers from the department. "
    "The report on page 12 says the budget grew by 4.5% while services were cut. "
    "We need more **bike lanes** and better lighting on the *river path* after dark. "
    "> Quoting the post: the plan will be reviewed in 2026-11-23 at the public meeting. "
    "Thanks to everyone who came to the hearing; see https://example.org/minutes for notes. "
    "If anyone from the office reads this, call me at (202) 555-0143 about the flooding. "
    "Who the hell approved the new fees without asking the residents first? "
    "The shiitake stall at the market is back, and the cocktail bar opened on Friday. "
)
SIZES = {"200 B": 200, "2 KB": 2_000, "20 KB": 20_000}
ITERATIONS = {"200 B": 2_000, "2 KB": 1_000, "20 KB": 100}


def make_comment(size: int, seed: int) -> str:
    """A realistic comment of about ``size`` characters: sentences in shuffled order."""
    rng = random.Random(seed)
    sentences = [s.strip() + " " for s in PROSE.split(". ") if s.strip()]
    out: list[str] = []
    length = 0
    while length < size:
        s = rng.choice(sentences)
        if rng.random() < 0.15:
            s += "\n\n"
        out.append(s)
        length += len(s)
    return "".join(out)[:size]


def measure(fn: Callable[[str], object], comments: list[str], n: int) -> list[float]:
    """Seconds per call over ``n`` calls cycling through ``comments``."""
    for c in comments[:5]:
        fn(c)  # warm caches and imports
    times = []
    gc.disable()
    try:
        for i in range(n):
            c = comments[i % len(comments)]
            t0 = time.perf_counter()
            fn(c)
            times.append(time.perf_counter() - t0)
    finally:
        gc.enable()
    return times


def p99(times: list[float]) -> float:
    return sorted(times)[max(0, int(len(times) * 0.99) - 1)]


def report(label: str, times: list[float]) -> None:
    med = statistics.median(times)
    print(f"  {label:<28} median {med * 1000:8.3f} ms   p99 {p99(times) * 1000:8.3f} ms"
          f"   {1 / statistics.mean(times):10.0f} comments/s")


def main() -> None:
    lists = WordLists.defaults()
    activity = AuthorActivity.none(datetime(2026, 1, 1, 12, 0))
    t0 = time.perf_counter()
    _ = lists.matcher  # built once per list version, not per comment
    print(f"matcher build (once per word-list version): {(time.perf_counter() - t0) * 1000:.1f} ms")
    print(f"python {sys.version.split()[0]}, one core, {os.cpu_count()} CPUs visible")
    for name, size in SIZES.items():
        comments = [make_comment(size, seed) for seed in range(20)]
        n = ITERATIONS[name]
        print(f"{name} comments ({n} iterations):")
        report("screen (screens alone)", measure(lambda c: screen(c, activity, lists), comments, n))
        report("process (whole pipeline)",
               measure(lambda c: process(c, activity, lists), comments, n))
    try:
        from better_profanity import profanity
    except ImportError:  # pragma: no cover
        return
    profanity.load_censor_words()
    comments = [make_comment(200, seed) for seed in range(5)]
    print("reference: better-profanity 0.7.0 contains_profanity (as shipped):")
    report("contains_profanity 200 B", measure(profanity.contains_profanity, comments, 20))


if __name__ == "__main__":
    main()
