"""Which task backend each setting picks, and where staff see the database backend's tasks."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

PRINT_TASKS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.TASKS['default']['BACKEND'], 'django_rq' in settings.INSTALLED_APPS)"
)


def _settings_of(module: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "TASKS_BACKEND"}
    environment |= {"DJANGO_SETTINGS_MODULE": module, "SECRET_KEY": "x", **env}
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", PRINT_TASKS],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_make_run_uses_the_database_backend_and_tests_the_immediate_one():
    assert _settings_of("config.settings.dev") == "django_tasks_db.DatabaseBackend False"
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


def test_choosing_rq_installs_django_rq():
    chosen = _settings_of("config.settings.base", TASKS_BACKEND="rq", DEBUG="1")

    assert chosen == "django_tasks_rq.RQBackend True"


@pytest.mark.django_db
def test_staff_see_pending_and_failed_tasks_in_the_django_admin(admin_client):
    assert admin.site.is_registered(DBTaskResult)

    url = reverse(f"admin:{DBTaskResult._meta.app_label}_dbtaskresult_changelist")
    assert admin_client.get(url).status_code == 200
