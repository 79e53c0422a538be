import os

from django.core.asgi import get_asgi_application

import config.processes  # noqa: F401  (before Django: see its docstring)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

application = get_asgi_application()
