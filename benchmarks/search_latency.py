"""Search latency at forum scale: p50/p95 of search() and similar_questions() per backend.

    .venv/bin/python benchmarks/search_latency.py [--backend sqlite|postgres|all]
                                                  [--questions 100000] [--runs 400]
                                                  [--keep] [--reuse DATABASE_URL]

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
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scratch import Loader, drop_scratch, open_scratch, reuse_scratch
from benchmarks.synthetic import INDONESIAN_QUERIES, ThreadGenerator, load_jsonl


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def rss_mib() -> float:
    """This process's resident memory now (VmRSS), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def report(vendor: str, name: str, measured: list[tuple[float, str]]) -> None:
    values = [ms for ms, _ in measured]
    print(
        f"[{vendor}] {name:<34} p50 {statistics.median(values):6.1f} ms   "
        f"p95 {percentile(values, 0.95):6.1f} ms   max {max(values):6.1f} ms   "
        f"(n={len(values)})"
    )
    for ms, query in sorted(measured, reverse=True)[:3]:
        print(f"[{vendor}]   slowest: {ms:6.1f} ms  {query!r}")


def time_queries(vendor: str, label: str, sample: list[str], *, cold: bool = False) -> None:
    """p50/p95 of search() and similar_questions() over `sample`, after 20 warm-ups.
    `cold`: the per-process cache of query vectors is emptied before every call, so each
    one embeds its query (what a query no one asked before costs)."""
    from search import vectors as stored
    from search.queries import search, similar_questions

    for query in sample[:20]:  # warm caches, as a running site has them
        search(query)
    if not cold:
        # Every query's vector cached first (what search() and similar_questions() embed):
        # after a cold pass the cache holds only the last one, so a "cached" pass would
        # embed nearly every query once again.
        from search.syntax import parse_query

        for query in dict.fromkeys(sample):
            stored.query_vector(" ".join(parse_query(query).terms))
            stored.query_vector(query)
    timings: dict[str, list[tuple[float, str]]] = {"search": [], "similar": []}
    for query in sample:
        if cold:
            stored._query_vectors.clear()
        t = time.perf_counter()
        search(query)
        timings["search"].append(((time.perf_counter() - t) * 1000, query))
        if cold:
            stored._query_vectors.clear()
        t = time.perf_counter()
        similar_questions(query)
        timings["similar"].append(((time.perf_counter() - t) * 1000, query))
    print(f"[{vendor}] -- {label} (load average {load_average()})")
    for name, measured in timings.items():
        report(vendor, name, measured)


def load_vectors(vendor: str, ids: list[int], *, real: int) -> bool:
    """A vector for every thread, stored through search.vectors' own writes under the real
    model id: the first `real` titles embedded by the real embedder (the worker's
    throughput, on one core), the rest random unit vectors (embedding 100,000 titles
    would take hours here). Then the matrix: load time, memory, refresh times."""
    import numpy as np

    from forum.models import Question
    from search import embeddings
    from search import vectors as stored
    from search.documents import question_source

    embedder = embeddings.get_embedder()
    if embedder is None:
        print(f"[{vendor}] {embeddings.status()}: vectors skipped")
        return False
    sources = [question_source(pk) for pk in ids]
    real_sources = sources[:: max(1, len(sources) // real)][:real] if real else []
    texts = {s: stored.vector_parts(s) for s in real_sources}  # (text, weight) passages
    real_sources = [s for s in real_sources if texts[s]]
    affinity = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(affinity)})  # one core, as a worker process has
    try:
        stored.embed_passages(embedder, [[("warm up", 1.0)]])
        started = time.perf_counter()
        vectors = stored.embed_passages(embedder, [texts[s] for s in real_sources])
        seconds = time.perf_counter() - started
        one = []
        for source in real_sources[:30]:
            t = time.perf_counter()
            embedder.embed([texts[source][0][0]], kind="query")
            one.append((time.perf_counter() - t) * 1000)
    finally:
        os.sched_setaffinity(0, affinity)
    print(
        f"[{vendor}] embedder {embedder.model_id}: {len(real_sources)} real titles in "
        f"{seconds:.1f}s = {len(real_sources) / seconds:.1f} titles/s on one core "
        f"(batches of 32); one query alone p50 {statistics.median(one):.0f} ms, "
        f"p95 {percentile(one, 0.95):.0f} ms (load average {load_average()})"
    )
    rows = [
        (s, stored._row(s, embedder, stored._digest(texts[s]), v))
        for s, v in zip(real_sources, vectors, strict=True)
    ]
    stored._write(rows)
    titles = dict(Question.objects.values_list("pk", "title"))
    rng = np.random.default_rng(7)
    done = set(real_sources)
    rest = [s for s in sources if s not in done]
    started = time.perf_counter()
    for start in range(0, len(rest), 1000):
        chunk = rest[start : start + 1000]
        random = rng.standard_normal((len(chunk), embedder.dimensions)).astype(np.float32)
        random /= np.linalg.norm(random, axis=1, keepdims=True)
        stored._write(
            [
                (
                    s,
                    stored._row(
                        s, embedder, stored._digest([(titles.get(int(s[9:]), ""), 1.0)]), v
                    ),
                )
                for s, v in zip(chunk, random, strict=True)
            ]
        )
    print(
        f"[{vendor}] stored {len(rest)} random unit vectors through vectors._write in "
        f"{time.perf_counter() - started:.0f}s"
    )
    stored.forget_matrices()
    before = rss_mib()
    started = time.perf_counter()
    index = stored.get_index()
    loaded = time.perf_counter() - started
    print(
        f"[{vendor}] matrix: {len(index)} vectors, {index.nbytes / 2**20:.0f} MiB "
        f"(capacity {len(index.matrix)} rows); first load {loaded:.2f}s; "
        f"RSS {before:.0f} -> {rss_mib():.0f} MiB"
    )
    checks = []
    for _ in range(50):
        t = time.perf_counter()
        stored.get_index()
        checks.append((time.perf_counter() - t) * 1000)
    changed = []
    for n in range(20):
        vector = rng.standard_normal(embedder.dimensions).astype(np.float32)
        vector /= np.linalg.norm(vector)
        source = rest[n]
        stored._write([(source, stored._row(source, embedder, "bench", vector))])
        t = time.perf_counter()
        stored.get_index()
        changed.append((time.perf_counter() - t) * 1000)
    print(
        f"[{vendor}] refresh: unchanged p50 {statistics.median(checks):.2f} ms; "
        f"after one vector written p50 {statistics.median(changed):.2f} ms, "
        f"max {max(changed):.2f} ms"
    )
    return True


def profile_queries(vendor: str, sample: list[str]) -> None:
    import cProfile
    import pstats

    from search.queries import search, similar_questions

    profiler = cProfile.Profile()
    profiler.enable()
    for query in sample:
        search(query)
        similar_questions(query)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(14)
    print(f"[{vendor}] profile of {len(sample)} hybrid search()+similar_questions():")
    print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip()))


def quantisation(vendor: str, sample: list[str]) -> None:
    """What float16 and int8 copies of the matrix would cost and find: size, the time of
    one query's scores and top 100, and recall of float32's top 10 and top 100."""
    import numpy as np

    from search import vectors as stored

    index = stored.get_index()
    size = index.size
    full = index.matrix[:size]
    half = full.astype(np.float16)
    scale = np.abs(full).max(axis=1, keepdims=True) / 127
    scale[scale == 0] = 1
    small = np.round(full / scale).astype(np.int8)
    scale = scale.ravel().astype(np.float32)
    queries = [stored.query_vector(q) for q in sorted(set(sample))[:100]]

    def top(scores: np.ndarray, k: int) -> np.ndarray:
        part = np.argpartition(-scores, k - 1)[:k]
        return part[np.argsort(-scores[part])]

    variants = {
        "float32": (full, lambda q: full @ q),
        "float16 (numpy, f16 matmul)": (half, lambda q: half @ q.astype(np.float16)),
        "float16 (blocks upcast to f32)": (
            half,
            lambda q: np.concatenate(
                [half[i : i + 8192].astype(np.float32) @ q for i in range(0, size, 8192)]
            ),
        ),
        "int8 (row scale, blocks upcast)": (
            small,
            lambda q: (
                np.concatenate(
                    [small[i : i + 8192].astype(np.float32) @ q for i in range(0, size, 8192)]
                )
                * scale
            ),
        ),
    }
    exact = {10: [], 100: []}
    for q in queries:
        scores = full @ q
        exact[10].append(set(top(scores, 10)))
        exact[100].append(set(top(scores, 100)))
    for name, (matrix, score) in variants.items():
        times, recall10, recall100 = [], [], []
        for n, q in enumerate(queries):
            t = time.perf_counter()
            scores = np.asarray(score(q), dtype=np.float32)
            found = top(scores, 100)
            times.append((time.perf_counter() - t) * 1000)
            recall10.append(len(set(found[:10]) & exact[10][n]) / 10)
            recall100.append(len(set(found) & exact[100][n]) / 100)
        print(
            f"[{vendor}] {name:<32} {matrix.nbytes / 2**20:6.0f} MiB   scores+top100 "
            f"p50 {statistics.median(times):6.1f} ms p95 {percentile(times, 0.95):6.1f} ms   "
            f"recall@10 {statistics.mean(recall10):.3f} @100 {statistics.mean(recall100):.3f}"
        )


def run(
    vendor: str,
    questions: int,
    runs: int,
    *,
    keep: bool = False,
    vectors: bool = True,
    real_vectors: int = 256,
    profile: bool = True,
    reuse: str | None = None,
) -> None:
    print(f"[{vendor}] load average at the start: {load_average()}")
    if reuse:
        reuse_scratch(reuse)
        try:
            from forum.models import Question
            from search.models import DocumentVector

            loaded = False
            if vectors and not DocumentVector.objects.exists():  # kept with --lexical-only
                ids = list(Question.objects.order_by("pk").values_list("pk", flat=True))
                loaded = lambda: load_vectors(vendor, ids, real=real_vectors)  # noqa: E731
            measure(vendor, runs, vectors=vectors, profile=profile, loaded=loaded)
        finally:
            print(f"[{vendor}] kept the database: DATABASE_URL={reuse}")
        return
    url = open_scratch(vendor, "latency")
    try:
        from django.core.management import call_command

        from forum.models import Question
        from search.management.commands import search_reindex
        from search.models import SearchDocument

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
        if vendor == "postgres":
            # What autovacuum does on a running site (it is off on the development server):
            # without statistics the planner answered search()'s check that 20 questions
            # are not deleted by scanning an index of all 100,000 (8 ms a search).
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        print(
            f"[{vendor}] loaded {len(ids)} questions and {answers} answers "
            f"in {time.perf_counter() - started:.0f}s"
        )
        started = time.perf_counter()
        call_command(search_reindex.Command(), stdout=io.StringIO())
        count = SearchDocument.objects.count()
        print(f"[{vendor}] indexed {count} documents in {time.perf_counter() - started:.0f}s")

        measure(
            vendor,
            runs,
            vectors=vectors,
            profile=profile,
            loaded=lambda: load_vectors(vendor, ids, real=real_vectors),
        )
    finally:
        if keep:
            print(f"[{vendor}] kept the database for EXPLAIN: DATABASE_URL={url}")
        else:
            drop_scratch(vendor, url)


def measure(vendor: str, runs: int, *, vectors: bool, profile: bool, loaded) -> None:
    """Time the sample: lexical only, then (with `vectors`) hybrid, cold and warm.
    `loaded` stores the vectors first (a callable), or is False for a kept database that
    has them (`--reuse`)."""
    from django.test import override_settings

    queries = [q["query"] for q in load_jsonl("stackfaq_queries.jsonl")]
    queries += INDONESIAN_QUERIES * 5
    rng = random.Random(7)  # noqa: S311
    sample = [rng.choice(queries) for _ in range(runs)]
    with override_settings(SEARCH_EMBEDDER="none"):
        time_queries(vendor, "lexical only", sample)
    if vectors:
        from search import vectors as stored

        if (loaded() if loaded else True) and stored.get_index() is not None:
            # Cold: every query embedded in the request, as a first-time query is.
            time_queries(vendor, "hybrid, query embedded", sample, cold=True)
            # Warm: the query vector cached (the ask form re-sends as one types).
            time_queries(vendor, "hybrid, query vector cached", sample)
            if profile:
                profile_queries(vendor, sample[:100])
            if loaded:
                quantisation(vendor, sample)
    if vendor == "postgres":
        with override_settings(SEARCH_EMBEDDER="none"):
            compare_two_stage(sorted(set(sample)))
    print(f"[{vendor}] load average at the end: {load_average()}")


def compare_two_stage(queries: list[str]) -> None:
    """How often search()'s first ten results, and similar_questions()' five, are the
    same with one ranking stage.

    PostgreSQL ranks in two stages (search/backends/postgres.py): only the best 1,000
    rows by a cheap score get the full relevance in search(), the best 200 in similar
    questions. The relevance benchmark's 125 threads never match that many rows, so only a
    forum of this size tests that cut.
    """
    from search.backends import postgres
    from search.queries import search, similar_questions

    def first_pages() -> list[tuple[list[str], bool]]:
        pages = []
        for query in queries:
            results = search(query)
            pages.append(([item.url for item in results.items[:10]], results.total_is_exact))
        return pages

    def suggestions() -> list[list[str]]:
        return [[item.url for item in similar_questions(query)] for query in queries]

    two_stage, two_stage_similar = first_pages(), suggestions()
    saved, postgres.TWO_STAGES = postgres.TWO_STAGES, False
    try:
        one_stage, one_stage_similar = first_pages(), suggestions()
    finally:
        postgres.TWO_STAGES = saved
    cut = [i for i, (_, exact) in enumerate(one_stage) if not exact]
    same = sum(a == b for (a, _), (b, _) in zip(two_stage, one_stage, strict=True))
    shared = sum(len(set(a) & set(b)) for (a, _), (b, _) in zip(two_stage, one_stage, strict=True))
    shown = sum(len(b) for b, _ in one_stage) or 1
    same_cut = sum(two_stage[i][0] == one_stage[i][0] for i in cut)
    print(
        f"[postgres] two-stage ranking: first ten identical for {same}/{len(queries)} distinct "
        f"queries ({same_cut}/{len(cut)} of those matching more than 1,000 threads); "
        f"{shared / shown:.1%} of one-stage top-ten results kept"
    )
    pairs = list(zip(two_stage_similar, one_stage_similar, strict=True))
    same = sum(a == b for a, b in pairs)
    shared = sum(len(set(a) & set(b)) for a, b in pairs)
    shown = sum(len(b) for _, b in pairs) or 1
    print(
        f"[postgres] two-stage similar questions: identical for {same}/{len(queries)} distinct "
        f"queries; {shared / shown:.1%} of one-stage suggestions kept"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--lexical-only", action="store_true", help="no vectors")
    parser.add_argument(
        "--real-vectors", type=int, default=256, help="titles embedded by the real model"
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    parser.add_argument(
        "--reuse",
        metavar="DATABASE_URL",
        help="time again on a database kept by --keep (vectors included), loading nothing",
    )
    args = parser.parse_args()
    if args.backend == "all" and args.reuse:
        parser.error("--reuse needs --backend sqlite or postgres")
    if args.backend == "all":
        import subprocess

        for vendor in ("sqlite", "postgres"):
            subprocess.run(  # noqa: S603 - this script, with our own arguments
                [sys.executable, __file__, "--backend", vendor, "--questions",
                 str(args.questions), "--runs", str(args.runs),
                 "--real-vectors", str(args.real_vectors),
                 *(["--keep"] if args.keep else []),
                 *(["--lexical-only"] if args.lexical_only else []),
                 *(["--no-profile"] if args.no_profile else [])],
                check=True,
            )  # fmt: skip
        return
    run(
        args.backend,
        args.questions,
        args.runs,
        keep=args.keep,
        vectors=not args.lexical_only,
        real_vectors=args.real_vectors,
        profile=not args.no_profile,
        reuse=args.reuse,
    )


if __name__ == "__main__":
    main()
