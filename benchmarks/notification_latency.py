"""How long post_answer takes, commit included, with 1 or 200 followers of the question,
under the immediate task backend (fan-out in the request) and the database backend
(fan-out left to the worker). Not a test.

    .venv/bin/python benchmarks/notification_latency.py [--runs 30]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scratch import drop_scratch, open_scratch

BACKENDS = {
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    url = open_scratch("sqlite", "notify")
    try:
        from django.test import override_settings

        from accounts.models import User
        from forum import actions
        from forum.models import CategoryPage, CommunityIndexPage
        from notifications.models import Follow

        members = User.objects.bulk_create(
            [User(username=f"m{i}", email=f"m{i}@example.com", reputation=500) for i in range(202)]
        )
        index = CommunityIndexPage.objects.get()
        category = index.add_child(instance=CategoryPage(title="Routers", slug="routers"))
        answerer = members[-1]
        print(f"post_answer, median of {args.runs} (ms), SQLite:")
        for backend, config in BACKENDS.items():
            with override_settings(
                TASKS={"default": config},
                TANYA_RATE_LIMITS={
                    "ask": (10**6, 3600),
                    "answer": (10**6, 3600),
                    "comment": (10**6, 3600),
                    "vote": (10**6, 3600),
                    "edit": (10**6, 3600),
                    "follow": (10**6, 3600),
                    "read": (10**6, 3600),
                },
            ):
                for followers in (1, 200):
                    timings = []
                    for run in range(args.runs):
                        question = actions.ask_question(
                            members[0],
                            title=f"Router {backend} {followers} {run} drops",
                            body="The router drops the connection every evening.",
                            category=category,
                        )
                        Follow.objects.bulk_create(
                            [Follow(member=m, question=question) for m in members[1:followers]],
                            ignore_conflicts=True,
                        )
                        start = time.perf_counter()
                        actions.post_answer(answerer, question, body="Update the firmware first.")
                        timings.append((time.perf_counter() - start) * 1000)
                    median = statistics.median(timings)
                    print(f"  {backend:9} {followers:3} follower(s): {median:6.1f}")
    finally:
        drop_scratch("sqlite", url)


if __name__ == "__main__":
    main()
