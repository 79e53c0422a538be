import os

from django.core.asgi import get_asgi_application

import config.processes  # before Django: see its docstring

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

application = get_asgi_application()
config.processes.freeze_startup()
