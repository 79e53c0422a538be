"""Search latency at forum scale: p50/p95 of search() and similar_questions() per backend.

    .venv/bin/python benchmarks/search_latency.py [--backend sqlite|postgres|all]
                                                  [--questions 100000] [--runs 400]

Loads N questions (default 100,000) with zero to four answers each, a third of them
solved, 30% in Bahasa Indonesia, in a scratch database (bulk inserts, no actions), then
builds the index with `manage.py search_reindex` itself. The text is synthetic but shaped
like a forum's (benchmarks/synthetic.py: topic-bound Markov chains over real support
text). It then times a sample of queries, the 625 real StackFAQ rewordings and a few
Indonesian ones, through `search()` (facets and snippets, as the search page runs it) and
through `similar_questions()` (as the ask form runs it). Times are wall-clock in this
process, database round trips and Python included, after 20 warm-up searches.
"""

import argparse
import io
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


def run(vendor: str, questions: int, runs: int, *, keep: bool = False) -> None:
    url = open_scratch(vendor, "latency")
    try:
        from django.core.management import call_command

        from forum.models import Question
        from search.management.commands import search_reindex
        from search.models import SearchDocument
        from search.queries import search, similar_questions

        started = time.perf_counter()
        threads = ThreadGenerator().threads(questions)
        print(
            f"[{vendor}] generated {len(threads)} threads in {time.perf_counter() - started:.0f}s"
        )
        started = time.perf_counter()
        loader = Loader()
        ids = loader.threads(threads)
        answers = sum(len(thread[2]) for thread in threads)
        del threads
        # Two thirds unsolved: the loader accepts every first answer; take some back.
        unsolved = sorted(ids[::3] + ids[1::3])
        for start in range(0, len(unsolved), 5000):
            Question.objects.filter(pk__in=unsolved[start : start + 5000]).update(
                accepted_answer=None, accepted_by=None, accepted_at=None
            )
        print(
            f"[{vendor}] loaded {len(ids)} questions and {answers} answers "
            f"in {time.perf_counter() - started:.0f}s"
        )
        started = time.perf_counter()
        call_command(search_reindex.Command(), stdout=io.StringIO())
        count = SearchDocument.objects.count()
        print(f"[{vendor}] indexed {count} documents in {time.perf_counter() - started:.0f}s")

        queries = [q["query"] for q in load_jsonl("stackfaq_queries.jsonl")]
        queries += INDONESIAN_QUERIES * 5
        rng = random.Random(7)  # noqa: S311
        sample = [rng.choice(queries) for _ in range(runs)]
        for query in sample[:20]:  # warm caches, as a running site has them
            search(query)
        timings: dict[str, list[tuple[float, str]]] = {"search": [], "similar": []}
        for query in sample:
            t = time.perf_counter()
            search(query)
            timings["search"].append(((time.perf_counter() - t) * 1000, query))
            t = time.perf_counter()
            similar_questions(query)
            timings["similar"].append(((time.perf_counter() - t) * 1000, query))
        for name, measured in timings.items():
            values = [ms for ms, _ in measured]
            print(
                f"[{vendor}] {name:<8} p50 {statistics.median(values):6.1f} ms   "
                f"p95 {percentile(values, 0.95):6.1f} ms   max {max(values):6.1f} ms   "
                f"(n={len(values)})"
            )
            for ms, query in sorted(measured, reverse=True)[:3]:
                print(f"[{vendor}]   slowest: {ms:6.1f} ms  {query!r}")
    finally:
        if keep:
            print(f"[{vendor}] kept the database for EXPLAIN: DATABASE_URL={url}")
        else:
            drop_scratch(vendor, url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    if args.backend == "all":
        import subprocess

        for vendor in ("sqlite", "postgres"):
            subprocess.run(  # noqa: S603 - this script, with our own arguments
                [sys.executable, __file__, "--backend", vendor, "--questions",
                 str(args.questions), "--runs", str(args.runs),
                 *(["--keep"] if args.keep else [])],
                check=True,
            )  # fmt: skip
        return
    run(args.backend, args.questions, args.runs, keep=args.keep)


if __name__ == "__main__":
    main()
