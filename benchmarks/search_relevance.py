"""Relevance of Tanya's search on StackFAQ: MRR@10, recall@1 and recall@5 per backend.

    .venv/bin/python benchmarks/search_relevance.py [--backend sqlite|postgres|all]

Loads each of the 125 StackFAQ threads (real StackExchange Web Applications questions
with their top answers) as a solved question whose first answer is accepted, then runs
each of the 625 human rewordings through the same `search()` the search page uses and
through `similar_questions()`, scoring where the thread that answers it comes.

The corpus has titles and answers but no question bodies, so questions have an empty
body. Nothing in the engine is tuned to these queries: no synonyms, no rules.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scratch import Loader, drop_scratch, open_scratch, rebuild_index

# The shared corpora (../shared/testdata beside the checkout; TANYA_TESTDATA to point elsewhere,
# /work/shared/testdata on the project's machines when the checkout lives elsewhere).
DATA = next(
    (
        path
        for path in (
            Path(os.environ.get("TANYA_TESTDATA", "/nonexistent")),
            Path(__file__).resolve().parent.parent.parent / "shared" / "testdata",
            Path("/work/shared/testdata"),
        )
        if path.is_dir()
    ),
    Path(__file__).resolve().parent.parent.parent / "shared" / "testdata",
)
BASELINE = {"mrr@10": 0.753, "recall@1": 0.646, "recall@5": 0.902}


def load_jsonl(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def score(ranked: list[list[int]], relevant: list[int]) -> dict[str, float]:
    reciprocal = hits1 = hits5 = 0.0
    for ids, wanted in zip(ranked, relevant, strict=True):
        if wanted in ids[:10]:
            reciprocal += 1 / (ids.index(wanted) + 1)
        hits1 += wanted in ids[:1]
        hits5 += wanted in ids[:5]
    n = len(relevant)
    return {"mrr@10": reciprocal / n, "recall@1": hits1 / n, "recall@5": hits5 / n}


def run(vendor: str) -> dict[str, dict[str, float]]:
    url = open_scratch(vendor, "relevance")
    try:
        from search.queries import search, similar_questions

        corpus = load_jsonl("stackfaq_corpus.jsonl")
        queries = load_jsonl("stackfaq_queries.jsonl")
        ids = Loader().threads([(doc["title"], "", doc["answers"]) for doc in corpus])
        question_of = {doc["id"]: pk for doc, pk in zip(corpus, ids, strict=True)}
        started = time.perf_counter()
        count = rebuild_index()
        print(f"[{vendor}] indexed {count} documents in {time.perf_counter() - started:.1f}s")

        relevant = [question_of[q["relevant_ids"][0]] for q in queries]
        via_search = [[r.url for r in search(q["query"], page_size=10).items] for q in queries]
        via_similar = [[r.url for r in similar_questions(q["query"], limit=10)] for q in queries]
        pk_of_url = {}
        from forum.models import Question

        for question in Question.objects.all():
            pk_of_url[question.get_absolute_url()] = question.pk
        return {
            "search": score([[pk_of_url.get(u) for u in r] for r in via_search], relevant),
            "similar": score([[pk_of_url.get(u) for u in r] for r in via_similar], relevant),
        }
    finally:
        drop_scratch(vendor, url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    args = parser.parse_args()
    vendors = ["sqlite", "postgres"] if args.backend == "all" else [args.backend]
    if len(vendors) > 1:
        # Django configures itself once per process: run each backend in its own.
        import subprocess

        for vendor in vendors:
            subprocess.run([sys.executable, __file__, "--backend", vendor], check=True)  # noqa: S603
        return
    results = run(vendors[0])
    print(f"{'backend':<18} {'function':<10} {'MRR@10':>7} {'R@1':>7} {'R@5':>7}")
    print(
        f"{'FTS5 bm25 baseline':<18} {'':<10} " + " ".join(f"{v:7.3f}" for v in BASELINE.values())
    )
    for function, figures in results.items():
        print(
            f"{'database/' + vendors[0]:<18} {function:<10} "
            + " ".join(f"{figures[k]:7.3f}" for k in BASELINE)
        )


if __name__ == "__main__":
    main()
