"""The table `make bench` writes (benchmarks/report.py), from a run with known figures."""

from benchmarks.report import Measurement, Run, markdown


def _run(**extra) -> Run:
    return Run(
        questions=20_000, answers=100_000, comments=200, database="postgres", cache="redis",
        workers=2, connections=8, duration=10, machine="2 CPUs (test)", rss_kb=[102_400],
        measurements=[
            Measurement("bare view", 5000, 1.0, 2.0, 3.0, kind="ceiling"),
            Measurement("template", 400, 10.0, 20.0, 30.0, kind="ceiling"),
            Measurement("home", 2500, 2.0, 4.0, 6.0, queries_first=5, queries_repeat=0,
                        bytes_plain=40_000, bytes_gzip=8_000),
            Measurement("question", 200, 30.0, 40.0, 50.0, ceiling="page",
                        queries_first=8, queries_repeat=8, bytes_plain=592_000,
                        alone_p50_ms=4.25, alone_p95_ms=6.0),
        ],
        **extra,
    )  # fmt: skip


def _row(table: str, name: str) -> list[str]:
    line = next(line for line in table.splitlines() if line.startswith(f"| {name} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_each_row_shows_its_ratio_to_the_ceilings_measured_in_the_same_run():
    table = markdown(_run())

    home = _row(table, "home")
    assert home[1:4] == ["2,500", "50.0%", ""]
    assert home[7:12] == ["-", "-", "5 / 0", "40.0 KB", "8.0 KB"]
    question = _row(table, "question")
    assert question[2:4] == ["4.0%", "50.0%"]
    assert question[7:9] == ["4.2", "6.0"]  # one client alone
    assert question[9] == "8" and question[11] == "not compressed"


def test_the_header_says_what_ran_where_and_the_memory_per_worker():
    table = markdown(_run())

    assert "20,000 questions, 100,000 answers, postgres, redis cache" in table
    assert "2 sync workers" in table and "100 MiB" in table
    assert table.count("\n| ") == 2 + 4  # header, rule and one row per measurement


def test_the_header_names_the_one_client_pass_when_it_ran():
    assert "then one connection for 5 s" in markdown(_run(alone_duration=5))
    assert "one connection" not in markdown(_run())
