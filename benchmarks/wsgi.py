"""WSGI entry point for `make bench` only: the production settings with the benchmark
URLconf (benchmarks/urls.py), which adds the two ceilings to the site's own routes."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from django.conf import settings
from django.core.wsgi import get_wsgi_application

import config.processes  # as config/wsgi.py: one BLAS thread, the collector's thresholds

settings.ROOT_URLCONF = "benchmarks.urls"
application = get_wsgi_application()
config.processes.freeze_startup()
