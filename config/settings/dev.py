"""Development: DEBUG on unless the environment says otherwise; email to the console."""

import os

os.environ.setdefault("DEBUG", "1")

from config.settings.base import *  # noqa: F403
