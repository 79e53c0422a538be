"""Search latency at forum scale: p50/p95 of search() and similar_questions() per backend.

    .venv/bin/python benchmarks/search_latency.py [--backend sqlite|postgres|all]
                                                  [--questions 100000] [--runs 400]

Loads N questions (default 100,000) with one to four answers each, a third of them
solved, in a scratch database, with text drawn at random from the vocabulary of the
StackFAQ corpus (so word frequencies are those of real support threads), builds the
index with `search_reindex`'s code path, then times the real StackFAQ queries through
`search()` (with facets and snippets, as the search page runs it) and through
`similar_questions()` (as the ask form runs it). Times are wall-clock in this process,
database round trips and Python included.
"""

import argparse
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scratch import Loader, drop_scratch, open_scratch, rebuild_index
from benchmarks.search_relevance import BASELINE, load_jsonl, score

INDONESIAN = (  # noqa: SIM905
    "bagaimana cara membayar tagihan pembayaran gagal akun saya tidak bisa masuk kata sandi "
    "lupa mengatur ulang pengaturan aplikasi diperbarui menghapus pesan surel terkirim "
    "langganan dibatalkan kartu kredit ditolak transfer bank berhasil"
).split()


def vocabulary() -> tuple[list[str], list[int]]:
    counts: Counter[str] = Counter()
    for thread in load_jsonl("stackfaq_corpus.jsonl"):
        for text in [thread["title"], *thread["answers"]]:
            counts.update(re.findall(r"[A-Za-z][A-Za-z'-]+", text))
    counts.update(dict.fromkeys(INDONESIAN, 50))
    words, weights = zip(*counts.items(), strict=True)
    return list(words), list(weights)


def synthetic_threads(n: int, seed: int = 6) -> list[tuple[str, str, list[str]]]:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    words, weights = vocabulary()

    def sentence(low: int, high: int) -> str:
        return " ".join(rng.choices(words, weights, k=rng.randint(low, high)))

    threads = []
    for _ in range(n):
        title = sentence(6, 12).capitalize() + "?"
        body = sentence(30, 90) + "."
        answers = [sentence(20, 100) + "." for _ in range(rng.randint(1, 4))]
        threads.append((title, body, answers))
    return threads


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(vendor: str, questions: int, runs: int) -> None:
    url = open_scratch(vendor, "latency")
    try:
        from forum.models import Question
        from search.queries import search, similar_questions

        started = time.perf_counter()
        loader = Loader()
        ids = loader.threads(synthetic_threads(questions))
        # Two thirds unsolved: the loader accepts every first answer; take some back.
        Question.objects.filter(pk__in=ids[::3] + ids[1::3]).update(
            accepted_answer=None, accepted_by=None, accepted_at=None
        )
        # The StackFAQ threads too, so relevance can be measured among 100,000 distractors.
        corpus = load_jsonl("stackfaq_corpus.jsonl")
        faq_ids = loader.threads([(doc["title"], "", doc["answers"]) for doc in corpus])
        faq_of = {doc["id"]: pk for doc, pk in zip(corpus, faq_ids, strict=True)}
        print(f"[{vendor}] loaded {len(ids)} questions in {time.perf_counter() - started:.0f}s")
        started = time.perf_counter()
        count = rebuild_index()
        print(f"[{vendor}] indexed {count} documents in {time.perf_counter() - started:.0f}s")

        queries = [q["query"] for q in load_jsonl("stackfaq_queries.jsonl")]
        rng = random.Random(7)  # noqa: S311
        sample = [rng.choice(queries) for _ in range(runs)]
        for query in sample[:20]:  # warm caches, as a running site has them
            search(query)
        timings = {"search": [], "similar": []}
        for query in sample:
            t = time.perf_counter()
            search(query)
            timings["search"].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            similar_questions(query)
            timings["similar"].append((time.perf_counter() - t) * 1000)
        for name, values in timings.items():
            print(
                f"[{vendor}] {name:<8} p50 {statistics.median(values):6.1f} ms   "
                f"p95 {percentile(values, 0.95):6.1f} ms   (n={len(values)})"
            )
        pk_of_url = {q.get_absolute_url(): q.pk for q in Question.objects.filter(pk__in=faq_ids)}
        relevant, ranked = [], []
        for query in load_jsonl("stackfaq_queries.jsonl"):
            relevant.append(faq_of[query["relevant_ids"][0]])
            items = search(query["query"], page_size=10).items
            ranked.append([pk_of_url.get(r.url) for r in items])
        figures = score(ranked, relevant)
        print(
            f"[{vendor}] StackFAQ among {questions} distractors: "
            + "  ".join(f"{k} {figures[k]:.3f}" for k in BASELINE)
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
