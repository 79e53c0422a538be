"""What the sign-bit prefilter of the vector matrix costs in ranking, and what it saves.

    .venv/bin/python benchmarks/vector_prefilter.py [--distractors 10000] [--rows 100000]

Ranking: both relevance sets' documents (titles, passage embeddings) hidden among
`--distractors` synthetic forum titles (benchmarks/synthetic.py: Markov chains over the
same support text, so near misses, not noise), every query of both sets embedded by the
real model. For each set, MRR@10 of the relevant document and recall@20 against the exact
product, exact and through `VectorIndex.nearest` with the prefilter on, rescoring the same
share of rows as at 100,000 (`RESCORE_SHARE`; `RESCORE_MIN` scaled down with the rows).
Vectors are kept in the benchmarks' embedding cache (benchmarks/embedding_cache.py), so a
second run embeds nothing.

Time: `nearest()` at `--rows` unit vectors, exact and prefiltered, one BLAS thread (as
config/processes.py sets for every process), p50 / p95 over 400 queries.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

import numpy as np  # noqa: E402

from benchmarks.embedding_cache import CachedEmbedder  # noqa: E402
from benchmarks.synthetic import ThreadGenerator  # noqa: E402
from search import vectors  # noqa: E402
from search.vectors import VectorIndex  # noqa: E402

TESTDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "testdata"
SETS = ("stackfaq", "covidfaq")
SHARES = (0.01, 0.02, 0.05)  # of the rows rescored exactly (RESCORE_SHARE is 2%)


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def index_of(matrix: np.ndarray) -> VectorIndex:
    index = VectorIndex("benchmark", matrix.shape[1])
    rows = [(f"question:{i}", row.tobytes()) for i, row in enumerate(matrix)]
    index._load(len(rows), rows)
    return index


def exact(matrix: np.ndarray, query: np.ndarray, limit: int) -> list[int]:
    scores = matrix @ query
    top = np.argpartition(-scores, limit)[:limit]
    return top[np.argsort(-scores[top], kind="stable")].tolist()


def ranking(distractors: int) -> None:
    embedder = CachedEmbedder()
    generator = ThreadGenerator(seed=41)
    titles = [generator.thread()[0] for _ in range(distractors)]
    started = time.perf_counter()
    noise = embedder.embed(titles, kind="passage")
    print(f"{distractors} distractor titles embedded in {time.perf_counter() - started:.0f}s")
    for name in SETS:
        corpus = load_jsonl(TESTDATA / f"{name}_corpus.jsonl")
        queries = load_jsonl(TESTDATA / f"{name}_queries.jsonl")
        documents = embedder.embed([doc["title"] for doc in corpus], kind="passage")
        asked = embedder.embed([q["query"] for q in queries], kind="query")
        matrix = np.vstack([documents, noise]).astype(np.float32)
        position = {doc["id"]: row for row, doc in enumerate(corpus)}
        index = index_of(matrix)
        for share in SHARES:
            vectors.PREFILTER_ROWS, vectors.RESCORE_MIN, vectors.RESCORE_SHARE = 0, 1, share
            results = {"exact": [], "prefiltered": []}
            recall = []
            for query, vector in zip(queries, asked, strict=True):
                truth = exact(matrix, vector, 20)
                found = [int(n.key.partition(":")[2]) for n in index.nearest(vector, limit=20)]
                recall.append(len(set(truth) & set(found)) / 20)
                relevant = {position[r] for r in query["relevant_ids"]}
                for label, order in (("exact", truth), ("prefiltered", found)):
                    rank = next((r for r, row in enumerate(order[:10]) if row in relevant), None)
                    results[label].append(0.0 if rank is None else 1 / (rank + 1))
            print(
                f"{name}: {len(corpus)} documents + {distractors} distractors, {len(queries)} "
                f"queries, {int(len(matrix) * share)} rows rescored ({share:.0%}): MRR@10 exact "
                f"{statistics.mean(results['exact']):.3f}, prefiltered "
                f"{statistics.mean(results['prefiltered']):.3f}; recall@20 against exact "
                f"{statistics.mean(recall):.3f}"
            )
    embedder.save()


def timing(rows: int) -> None:
    rng = np.random.default_rng(7)
    data = rng.normal(size=(rows + 400, 384)).astype(np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    index = index_of(data[:rows])
    print(
        f"matrix {rows} rows: {index.nbytes / 2**20:.0f} MiB, of which sign bits "
        f"{index.bits.nbytes / 2**20:.1f} MiB"
    )
    for label, threshold in (("exact", rows + 1), ("prefiltered", 0)):
        vectors.PREFILTER_ROWS, vectors.RESCORE_MIN = threshold, 1_000
        spent = []
        for query in data[rows:]:
            started = time.perf_counter()
            index.nearest(query, limit=20)
            spent.append((time.perf_counter() - started) * 1000)
        print(
            f"nearest(limit=20), {label}: p50 {statistics.median(spent):.2f} ms, "
            f"p95 {percentile(spent, 0.95):.2f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--distractors", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    saved = vectors.RESCORE_SHARE, vectors.RESCORE_MIN, vectors.PREFILTER_ROWS
    try:
        timing(args.rows)
        ranking(args.distractors)
    finally:
        vectors.RESCORE_SHARE, vectors.RESCORE_MIN, vectors.PREFILTER_ROWS = saved


if __name__ == "__main__":
    main()
