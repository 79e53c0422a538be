"""Development: DEBUG on and the database task backend unless the environment says otherwise;
email to the console."""

import os

os.environ.setdefault("DEBUG", "1")
# `make run` starts `manage.py run_worker` beside the server, so tasks (event delivery:
# search, notifications) leave the request as they do in production.
os.environ.setdefault("TASKS_BACKEND", "database")

from config.settings.base import *  # noqa: F403
