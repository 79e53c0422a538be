"""What every Tanya process sets before Django loads (config/processes.py), checked in
a fresh interpreter as the web server starts one: the collector's thresholds, the start-up
objects frozen out of later collections, one BLAS thread."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, os
import config.wsgi
print(json.dumps({"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count(),
                  "blas": os.environ.get("OPENBLAS_NUM_THREADS")}))
"""


def test_the_web_process_raises_the_collector_threshold_and_freezes_its_start_up():
    from config.processes import GC_THRESHOLD

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env.pop("OPENBLAS_NUM_THREADS", None)
    out = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True, timeout=120,
    )  # fmt: skip
    found = json.loads(out.stdout.strip().splitlines()[-1])

    assert tuple(found["threshold"]) == GC_THRESHOLD
    assert GC_THRESHOLD[0] >= 10_000
    assert found["frozen"] > 10_000  # Django, the URLconf and the apps' objects
    assert found["blas"] == "1"
