import os

from django.core.wsgi import get_wsgi_application

import config.processes  # before Django: see its docstring

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

application = get_wsgi_application()
config.processes.freeze_startup()
