"""Relevance of Tanya's search on two sets: MRR@10, recall@1 and recall@5.

    .venv/bin/python benchmarks/search_relevance.py [--backend sqlite|postgres|all]
        [--set stackfaq|covidfaq|all] [--modes lexical,hybrid] [--dump DIR]
    .venv/bin/python benchmarks/search_relevance.py --tune DIR   # grid the fusion weights

Each set is loaded into a scratch database of its own: StackFAQ's 125 threads (real
StackExchange Web Applications questions with their top answers) and CovidFAQ's 67 FAQ
entries (title and answer), each as a solved question whose first answer is accepted.
Each query (625 human rewordings; 693 real user questions) goes through the same
`search()` the search page uses and through `similar_questions()`, twice: lexical only
(SEARCH_EMBEDDER=none) and hybrid (words and question vectors of title and accepted
answer's lead, search/fusion.py). The corpora have no question bodies, so questions have
an empty body. Nothing in the engine is tuned to these queries: no synonyms, no rules;
the fusion's numbers were chosen with --tune on the tuning half of each set (queries
whose id's sha1 is even) and --tune reports them on the held-out half too.

`--modes lexical` runs only the lexical-only rows, without loading the embedder or
embedding anything (a minute rather than many on the shared machine).

Set SEARCH_EMBEDDER=benchmarks.embedding_cache.CachedEmbedder (and TANYA_EMBEDDING_CACHE)
to keep the vectors in a file between runs.

`--dump DIR` writes, per query, the two lists the fusion received, so that `--tune DIR`
can replay the fusion over a grid of weights without searching again.
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
# Plain FTS5 bm25() (porter, title 3x), as the testdata README measures each set.
BASELINES = {
    "stackfaq": {"mrr@10": 0.753, "recall@1": 0.646, "recall@5": 0.902},
    "covidfaq": {"mrr@10": 0.492, "recall@1": 0.371, "recall@5": 0.646},
}
SETS = tuple(BASELINES)
MODES = ("lexical", "hybrid")


def load_jsonl(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def score(ranked: list[list], relevant: list) -> dict[str, float]:
    reciprocal = hits1 = hits5 = 0.0
    for ids, wanted in zip(ranked, relevant, strict=True):
        ids = list(ids)
        if wanted in ids[:10]:
            reciprocal += 1 / (ids.index(wanted) + 1)
        hits1 += wanted in ids[:1]
        hits5 += wanted in ids[:5]
    n = len(relevant)
    return {"mrr@10": reciprocal / n, "recall@1": hits1 / n, "recall@5": hits5 / n}


def run(vendor: str, dataset: str, dump: Path | None, modes: tuple[str, ...] = MODES) -> dict:
    url = open_scratch(vendor, f"relevance_{dataset}")
    try:
        import resource

        from django.conf import settings

        from search import fusion, vectors
        from search.embeddings import get_embedder
        from search.models import SearchDocument
        from search.queries import search, similar_questions

        hybrid_embedder = settings.SEARCH_EMBEDDER
        if "hybrid" not in modes:
            settings.SEARCH_EMBEDDER = "none"
        corpus = load_jsonl(f"{dataset}_corpus.jsonl")
        queries = load_jsonl(f"{dataset}_queries.jsonl")
        ids = Loader().threads([(doc["title"], "", doc["answers"]) for doc in corpus])
        question_of = {doc["id"]: pk for doc, pk in zip(corpus, ids, strict=True)}
        started = time.perf_counter()
        count = rebuild_index()
        print(
            f"[{vendor}/{dataset}] indexed {count} documents "
            f"in {time.perf_counter() - started:.1f}s"
        )
        if "hybrid" in modes:
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            started = time.perf_counter()
            embedder = get_embedder()
            loaded = time.perf_counter() - started
            started = time.perf_counter()
            embedded = vectors.reembed(all_rows=True)
            took = time.perf_counter() - started
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"[{vendor}/{dataset}] model {embedder.model_id} loaded in {loaded:.2f}s; "
                f"embedded {embedded} titles in {took:.1f}s ({embedded / took:.0f}/s, "
                f"batches of 64); max RSS {rss_before:.0f} -> {rss:.0f} MiB"
            )
        relevant = [question_of[q["relevant_ids"][0]] for q in queries]
        question_of_doc = dict(SearchDocument.objects.values_list("id", "object_id"))
        pk_of_url = {}
        from forum.models import Question

        for question in Question.objects.all():
            pk_of_url[question.get_absolute_url()] = question.pk
        results = {}
        for mode, embedder_path in (("lexical", "none"), ("hybrid", hybrid_embedder)):
            if mode not in modes:
                continue
            settings.SEARCH_EMBEDDER = embedder_path
            captured: list = []
            real_fuse = fusion.fuse

            def capture(lexical, semantic, params=fusion.PARAMS, _fuse=real_fuse, _into=captured):
                _into.append((lexical, semantic))
                return _fuse(lexical, semantic, params)

            fusion.fuse = capture
            try:
                started = time.perf_counter()
                via_search, search_calls, via_similar, similar_calls = [], [], [], []
                for q in queries:
                    captured.clear()
                    via_search.append([r.url for r in search(q["query"], page_size=10).items])
                    search_calls.append(captured[0] if captured else ([], []))
                for q in queries:
                    captured.clear()
                    via_similar.append([r.url for r in similar_questions(q["query"], limit=10)])
                    similar_calls.append(captured[0] if captured else ([], []))
                took = time.perf_counter() - started
            finally:
                fusion.fuse = real_fuse
            print(f"[{vendor}/{dataset}] {mode}: {2 * len(queries)} searches in {took:.1f}s")
            results[mode] = {
                "search": score([[pk_of_url.get(u) for u in r] for r in via_search], relevant),
                "similar": score([[pk_of_url.get(u) for u in r] for r in via_similar], relevant),
            }
            if dump is not None and mode == "hybrid":
                dump.mkdir(parents=True, exist_ok=True)

                def rows(calls):
                    return [
                        {
                            "lexical": [(question_of_doc[r[0]], r[4]) for r in lexical],
                            "semantic": [(question_of_doc[r[0]], r[4], r[5]) for r in semantic],
                        }
                        for lexical, semantic in calls
                    ]

                with open(dump / f"{vendor}_{dataset}.json", "w") as handle:
                    json.dump(
                        {
                            "relevant": relevant,
                            "search": rows(search_calls),
                            "similar": rows(similar_calls),
                        },
                        handle,
                    )
        return results
    finally:
        from search.embeddings import get_embedder as loaded

        settings.SEARCH_EMBEDDER = hybrid_embedder
        if "hybrid" in modes and hasattr(loaded(), "save"):
            loaded().save()  # the benchmarks' file cache (benchmarks/embedding_cache.py)
        drop_scratch(vendor, url)


def replay(calls: list[dict], params, limit: int = 10) -> list[list[int]]:
    from search.fusion import fuse

    ranked = []
    for call in calls:
        lexical = [(pk, "question", None, True, rank) for pk, rank in call["lexical"]]
        semantic = [(pk, "question", None, True, boost, cos) for pk, boost, cos in call["semantic"]]
        ranked.append([row[0] for row in fuse(lexical, semantic, params)[:limit]])
    return ranked


def tuning_half(qid: str) -> bool:
    """The deterministic split: a query whose id's sha1 is even is in the tuning half, the
    rest are held out (the figures reported for them were not looked at while tuning)."""
    import hashlib

    return int(hashlib.sha1(qid.encode(), usedforsecurity=False).hexdigest(), 16) % 2 == 0


def tune(directory: Path) -> None:
    """Grid the fusion's weights over every dump in `directory` (vendor_set.json), choosing
    on the tuning halves of both sets together by the worse of their shortfalls from the
    targets (StackFAQ 0.90, CovidFAQ 0.70); print the best, with MRR@10, R@1 and R@5 on the
    held-out halves and on the whole sets."""
    import itertools

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    django.setup()
    from search.fusion import PARAMS, FusionParams

    dumps = {p.stem: json.loads(p.read_text()) for p in sorted(directory.glob("*.json"))}
    halves = {}
    for name in dumps:
        dataset = name.split("_", 1)[1]
        halves[name] = [tuning_half(q["qid"]) for q in load_jsonl(f"{dataset}_queries.jsonl")]
    targets = {"stackfaq": 0.90, "covidfaq": 0.70}

    def figures(params, part):
        out = {}
        for name, data in dumps.items():
            keep = [part == "all" or (h == (part == "tuning")) for h in halves[name]]
            relevant = [r for r, k in zip(data["relevant"], keep, strict=True) if k]
            for function in ("search", "similar"):
                calls = [c for c, k in zip(data[function], keep, strict=True) if k]
                out[f"{name}/{function}"] = score(replay(calls, params), relevant)
        return out

    def worst(result):
        return min(v["mrr@10"] - targets[k.split("/")[0].split("_")[1]] for k, v in result.items())

    grid = itertools.product(
        [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0],  # semantic weight
        [0.70, 0.75, 0.78, 0.80, 0.82],  # cosine floor
        [0.80, 0.82, 0.84, 0.86],  # min cosine for semantic-only documents
    )
    table = []
    for weight, floor, least in grid:
        params = FusionParams(semantic_weight=weight, cosine_floor=floor, min_cosine=least)
        table.append((worst(figures(params, "tuning")), params))
    table.sort(key=lambda row: -row[0])
    print("best on the tuning halves (worst MRR@10 minus target):")
    for value, params in table[:5]:
        print(
            f"  weight {params.semantic_weight:.2f} floor {params.cosine_floor:.2f} "
            f"min {params.min_cosine:.2f}: {value:+.3f}"
        )
    for label, params in (("current", PARAMS), ("best", table[0][1])):
        print(
            f"\n{label}: weight {params.semantic_weight} floor {params.cosine_floor} "
            f"min {params.min_cosine}"
        )
        print("| dump/function | part | MRR@10 | R@1 | R@5 |\n| --- | --- | ---: | ---: | ---: |")
        for part in ("tuning", "held-out", "all"):
            for key, value in figures(params, part).items():
                print(
                    f"| {key} | {part} | {value['mrr@10']:.3f} | {value['recall@1']:.3f} "
                    f"| {value['recall@5']:.3f} |"
                )


def markdown(collected: dict) -> str:
    """The README's table: per set its bm25 baseline, then backend x mode x function."""
    lines = [
        "| set | backend | mode | function | MRR@10 | R@1 | R@5 |",
        "| --- | --- | --- | --- | ---: | ---: | ---: |",
    ]
    for dataset in SETS:
        rows = [(v, r) for (v, d), r in collected.items() if d == dataset]
        if not rows:
            continue
        base = BASELINES[dataset]
        lines.append(
            f"| {dataset} | FTS5 bm25 (title 3x) | baseline | | {base['mrr@10']:.3f} "
            f"| {base['recall@1']:.3f} | {base['recall@5']:.3f} |"
        )
        for vendor, results in rows:
            for mode, functions in results.items():
                for function, figures in functions.items():
                    name = "search()" if function == "search" else "similar_questions()"
                    lines.append(
                        f"| {dataset} | {vendor} | {mode} | {name} | {figures['mrr@10']:.3f} "
                        f"| {figures['recall@1']:.3f} | {figures['recall@5']:.3f} |"
                    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument(
        "--modes",
        default=",".join(MODES),
        help="comma-separated: lexical, hybrid (default both)",
    )
    parser.add_argument("--dump", type=Path, default=None)
    parser.add_argument("--tune", type=Path, default=None)
    parser.add_argument("--results", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.tune:
        tune(args.tune)
        return
    modes = tuple(m for m in MODES if m in args.modes.split(","))
    if not modes:
        parser.error("--modes: lexical, hybrid or both")
    vendors = ["sqlite", "postgres"] if args.backend == "all" else [args.backend]
    sets = list(SETS) if args.set == "all" else [args.set]
    if len(vendors) * len(sets) > 1:
        # Django configures itself once per process: run each backend and set in its own.
        import subprocess
        import tempfile

        collected = {}
        with tempfile.TemporaryDirectory() as scratch:
            for vendor in vendors:
                for dataset in sets:
                    out = Path(scratch) / f"{vendor}_{dataset}.json"
                    command = [sys.executable, __file__, "--backend", vendor, "--set", dataset]
                    command += ["--results", str(out), "--modes", ",".join(modes)]
                    if args.dump:
                        command += ["--dump", str(args.dump)]
                    subprocess.run(command, check=True)  # noqa: S603
                    collected[(vendor, dataset)] = json.loads(out.read_text())
        print(markdown(collected))
        return
    vendor, dataset = vendors[0], sets[0]
    results = run(vendor, dataset, args.dump, modes)
    if args.results:
        args.results.write_text(json.dumps(results))
    print(
        f"{'set':<9} {'backend':<18} {'function':<10} {'mode':<8} "
        f"{'MRR@10':>7} {'R@1':>7} {'R@5':>7}"
    )
    print(
        f"{dataset:<9} {'FTS5 bm25 baseline':<18} {'':<10} {'':<8} "
        + " ".join(f"{v:7.3f}" for v in BASELINES[dataset].values())
    )
    for mode, functions in results.items():
        for function, figures in functions.items():
            print(
                f"{dataset:<9} {'database/' + vendor:<18} {function:<10} {mode:<8} "
                + " ".join(f"{figures[k]:7.3f}" for k in BASELINES[dataset])
            )


if __name__ == "__main__":
    main()
