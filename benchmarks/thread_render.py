"""The uncached thread render against its ceiling, alternating in one process.

    .venv/bin/python benchmarks/thread_render.py [--answers 100] [--runs 30] [--profile]

One scratch SQLite database (benchmarks/scratch.py) with the page_cache benchmark's
thread (N answers, two comments each), the page cache off. Each round times one
anonymous request for the question page through the test client and one render of the
database-free template of the same size (benchmarks/urls.py, the ceiling `make bench`
uses), one after the other, so both see the same load on a shared machine. Prints the
medians and the ratio of their rates (the budget in issue 17: at least 50%). With
`--profile`, prints cProfile's top functions for one page request instead.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

from benchmarks.scratch import drop_scratch, open_scratch


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()
    url = open_scratch("sqlite", "threadrender")
    try:
        from django.conf import settings
        from django.test import Client, RequestFactory

        from benchmarks import urls as bench_urls
        from benchmarks.page_cache import _load

        settings.TANYA_PAGE_CACHE = False
        page = _load(options.answers).get_absolute_url()
        client = Client()
        size = len(client.get(page).content)
        items = bench_urls._items(size)
        request = RequestFactory().get("/__bench__/page")
        ceiling_bytes = len(bench_urls._PAGE.render({"title": "A thread", "items": items}, request))
        if options.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(3):
                client.get(page)
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
            return
        pages, ceilings = [], []
        for _ in range(options.runs):
            started = time.perf_counter()
            response = client.get(page)
            pages.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            started = time.perf_counter()
            bench_urls._PAGE.render({"title": "A thread", "items": items}, request)
            ceilings.append((time.perf_counter() - started) * 1000)
        page_ms, ceiling_ms = statistics.median(pages), statistics.median(ceilings)
        print(f"question page, {options.answers} answers, anonymous, uncached: {size:,} bytes")
        print(f"ceiling template: {ceiling_bytes:,} bytes")
        print(f"| question page | {page_ms:.1f} ms |")
        print(f"| database-free template, same size | {ceiling_ms:.1f} ms |")
        print(f"ratio of rates (page / ceiling): {ceiling_ms / page_ms:.1%}")
    finally:
        drop_scratch("sqlite", url)


if __name__ == "__main__":
    main()
