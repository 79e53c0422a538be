"""Quick measure of the anonymous page cache and compression on the question page.

    .venv/bin/python benchmarks/page_cache.py [--answers 100] [--runs 40]

A scratch SQLite database (benchmarks/scratch.py) with one question of N answers, two
comments each (bulk inserts, no actions), served in-process by Django's test client
through the whole middleware stack, base settings, DEBUG off, local-memory cache. Prints
the median and p95 time per anonymous request with the page cache off and on, and the
response's bytes plain and gzipped. Not `make bench` (no gunicorn, no load tool): a
before/after figure for one change.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

from benchmarks.scratch import drop_scratch, open_scratch


def _load(answers: int):
    from accounts.models import User
    from forum.markdown import render_markdown
    from forum.models import Answer, CategoryPage, Comment, CommunityIndexPage, Question

    users = User.objects.bulk_create(
        [User(username=f"bench{i}", email=f"bench{i}@example.com") for i in range(20)]
    )
    index = CommunityIndexPage.objects.get()
    category = index.add_child(instance=CategoryPage(title="Printers", slug="printers"))
    text = "Open the tray, pull the paper out gently, then **restart** the printer. " * 6
    question = Question.objects.create(
        title="The printer jams on every page",
        body=text,
        body_html=render_markdown(text),
        category=category,
        author=users[0],
    )
    made = Answer.objects.bulk_create(
        Answer(question=question, body=text, body_html=render_markdown(text), author=users[i % 20])
        for i in range(answers)
    )
    Comment.objects.bulk_create(
        Comment(
            answer=a,
            body="Thanks, that worked.",
            body_html="Thanks, that worked.",
            author=users[(i + 1) % 20],
        )
        for i, a in enumerate(made)
        for _ in range(2)
    )
    Question.objects.filter(pk=question.pk).update(answer_count=answers)
    return question


def _times(client, url: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times


def _row(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"| {name} | {statistics.median(times):.2f} ms | {p95:.2f} ms |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--runs", type=int, default=40)
    options = parser.parse_args()
    url = open_scratch("sqlite", "pagecache")
    try:
        from django.conf import settings
        from django.test import Client

        question = _load(options.answers)
        page = question.get_absolute_url()
        client = Client()
        plain = client.get(page).content
        packed = client.get(page, HTTP_ACCEPT_ENCODING="gzip").content
        rows = []
        for cached in (False, True):
            settings.TANYA_PAGE_CACHE = cached
            label = "cached" if cached else "uncached"
            for name, target in (("question page", page), ("home", "/")):
                client.get(target)  # warm (and, cached, store)
                rows.append(
                    _row(f"{name}, anonymous, {label}", _times(client, target, options.runs))
                )
                rows.append(
                    _row(
                        f"{name}, anonymous, {label}, gzip",
                        list(_times_gzip(client, target, options.runs)),
                    )
                )
        print(f"Question page with {options.answers} answers, 2 comments each\n")
        print("| request | median | p95 |\n| --- | --- | --- |")
        print("\n".join(rows))
        print(f"\nbytes: plain {len(plain):,}, gzip {len(packed):,}")
    finally:
        drop_scratch("sqlite", url)


def _times_gzip(client, url: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times


if __name__ == "__main__":
    main()
