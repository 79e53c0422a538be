"""The Markdown table `make bench` writes (benchmarks/web.py), kept apart so that the
normal suite can test it (tests/benchmarks/test_report.py).

Every page's requests per second is shown beside its ratio to a ceiling measured in the
same run: the bare Django view for every page, and for the question page also the
database-free template of the same size.

Two latencies per row: under load (the `wrk` run whose requests per second the row
shows: 8 connections on 2 workers, so each request also waits for the ones queued before
it) and one client alone (one connection, so the time is the server's time for one
request, as the budgets of issue 17 mean it).
"""

from dataclasses import dataclass, field


@dataclass
class Measurement:
    name: str
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    kind: str = "page"  # "ceiling", "page" or "write"
    ceiling: str = "bare"  # what else it is compared with: "bare" or "page"
    errors: int = 0
    queries_first: int | None = None
    queries_repeat: int | None = None
    bytes_plain: int = 0
    bytes_gzip: int | None = None  # None: the server did not compress
    alone_p50_ms: float | None = None  # one connection alone (None: not measured)
    alone_p95_ms: float | None = None


@dataclass
class Run:
    questions: int
    answers: int
    comments: int
    database: str
    cache: str
    workers: int
    connections: int
    duration: int
    machine: str
    load_seconds: float = 0.0
    search: str = "lexical"
    alone_duration: int = 0  # seconds of the one-client pass per row (0: not run)
    rss_kb: list[int] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)


def _ceiling(run: Run, kind: str) -> Measurement | None:
    ceilings = [m for m in run.measurements if m.kind == "ceiling"]
    if kind == "bare":
        return ceilings[0] if ceilings else None
    return ceilings[1] if len(ceilings) > 1 else None


def _ratio(value: float, ceiling: Measurement | None) -> str:
    if ceiling is None or not ceiling.requests_per_second:
        return "-"
    return f"{value / ceiling.requests_per_second:.1%}"


def _bytes(value: int | None) -> str:
    if value is None:
        return "not compressed"
    if value == 0:
        return "-"
    if value < 1000:
        return f"{value} B"
    return f"{value / 1000:,.1f} KB"


def _queries(m: Measurement) -> str:
    if m.queries_first is None:
        return "-"
    if m.queries_first == m.queries_repeat:
        return str(m.queries_first)
    return f"{m.queries_first} / {m.queries_repeat}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def markdown(run: Run) -> str:
    bare = _ceiling(run, "bare")
    page = _ceiling(run, "page")
    lines = [
        f"Measured on {run.machine}: {run.questions:,} questions, {run.answers:,} answers, "
        f"{run.database}, {run.cache} cache, {run.search} search, "
        f"gunicorn with {run.workers} sync workers, "
        f"`wrk` with {run.connections} connections for {run.duration} s per row"
        + (f", then one connection for {run.alone_duration} s " if run.alone_duration else " ")
        + (f"(loaded in {run.load_seconds:.0f} s)." if run.load_seconds else "(a kept database)."),
        "",
        "| page | req/s | vs bare view | vs same-size template | p50 ms | p95 ms | p99 ms "
        "| one client p50 ms | one client p95 ms | queries (first / repeat) | bytes | gzip "
        "| errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for m in run.measurements:
        versus_page = _ratio(m.requests_per_second, page) if m.ceiling == "page" else ""
        lines.append(
            f"| {m.name} | {m.requests_per_second:,.0f} | "
            f"{_ratio(m.requests_per_second, bare)} | {versus_page} | "
            f"{m.p50_ms:.1f} | {m.p95_ms:.1f} | {m.p99_ms:.1f} | "
            f"{_ms(m.alone_p50_ms)} | {_ms(m.alone_p95_ms)} | {_queries(m)} | "
            f"{_bytes(m.bytes_plain)} | {_bytes(m.bytes_gzip) if m.bytes_plain else '-'} | "
            f"{m.errors} |"
        )
    if run.rss_kb:
        rss = ", ".join(f"{kb / 1024:.0f} MiB" for kb in run.rss_kb)
        lines += ["", f"Resident memory per gunicorn worker after the run: {rss}."]
    return "\n".join(lines) + "\n"
