"""Typo-correction latency at forum scale: p50/p95 of the vocabulary lookup per database.

    .venv/bin/python benchmarks/spelling_latency.py [--backend sqlite|postgres|all]
                                                    [--questions 100000] [--runs 400]

Loads N synthetic questions with their answers in a scratch database, as
benchmarks/search_latency.py does (benchmarks/synthetic.py, bulk inserts), builds the
vocabulary of indexed words from the documents search would index
(search.vocabulary.rebuild over search.documents.iter_documents), then times
`search.spelling.corrections()` (the one lookup query plus the edit distances) on the
real StackFAQ rewordings and a few Indonesian queries with one typo made in one word
(a deleted, doubled or swapped letter). Times are wall-clock in this process after 20
warm-up lookups; it also says how often the typo'd word came back as the original.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scratch import Loader, drop_scratch, open_scratch
from benchmarks.synthetic import INDONESIAN_QUERIES, ThreadGenerator, load_jsonl


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["delete", "double", "swap"])
    if kind == "delete":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def run(vendor: str, questions: int, runs: int) -> None:
    url = open_scratch(vendor, "spelling")
    try:
        from search import spelling, vocabulary
        from search.documents import iter_documents
        from search.models import SearchTerm, TermKey
        from search.text import meaningful, words

        started = time.perf_counter()
        threads = ThreadGenerator().threads(questions)
        Loader().threads(threads)
        del threads
        print(f"[{vendor}] loaded {questions} questions in {time.perf_counter() - started:.0f}s")
        started = time.perf_counter()
        terms = vocabulary.rebuild(iter_documents())
        print(
            f"[{vendor}] vocabulary: {terms} words, {TermKey.objects.count()} keys, "
            f"built in {time.perf_counter() - started:.0f}s"
        )
        if vendor == "postgres":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        known = set(SearchTerm.objects.filter(documents__gte=3).values_list("term", flat=True))
        queries = [q["query"] for q in load_jsonl("stackfaq_queries.jsonl")]
        queries += INDONESIAN_QUERIES * 5
        rng = random.Random(7)  # noqa: S311
        sample = []
        while len(sample) < runs:
            query = rng.choice(queries)
            candidates = [w for w in meaningful(words(query)) if len(w) >= 5 and w in known]
            if not candidates:
                continue
            word = rng.choice(candidates)
            sample.append((query.lower().replace(word, typo(word, rng), 1), word))
        for query, _ in sample[:20]:
            spelling.corrections(query)
        timings, restored = [], 0
        for query, word in sample:
            t = time.perf_counter()
            found = spelling.corrections(query)
            timings.append((time.perf_counter() - t) * 1000)
            restored += bool(found) and any(meant == word for _, meant in found[0].changes)
        print(
            f"[{vendor}] corrections p50 {statistics.median(timings):6.2f} ms   "
            f"p95 {percentile(timings, 0.95):6.2f} ms   max {max(timings):6.2f} ms   "
            f"(n={len(timings)}); typo'd word restored in {restored}/{len(sample)}"
        )
    finally:
        drop_scratch(vendor, url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=400)
    args = parser.parse_args()
    if args.backend == "all":
        import subprocess

        for vendor in ("sqlite", "postgres"):
            subprocess.run(  # noqa: S603 - this script, with our own arguments
                [sys.executable, __file__, "--backend", vendor, "--questions",
                 str(args.questions), "--runs", str(args.runs)],
                check=True,
            )  # fmt: skip
        return
    run(args.backend, args.questions, args.runs)


if __name__ == "__main__":
    main()
