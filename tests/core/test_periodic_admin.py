"""Staff see the periodic jobs' state (a failing job's last error) in the Django admin."""

import pytest
from django.urls import reverse

from core.models import PeriodicRun

pytestmark = pytest.mark.django_db


def test_staff_see_a_failing_periodic_job_and_its_error(admin_client):
    PeriodicRun.objects.create(
        name="notifications.instant_email", last_error="SMTPServerDisconnected: gone"
    )
    PeriodicRun.objects.create(name="webhooks.retry_deliveries")

    response = admin_client.get(reverse("admin:core_periodicrun_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "notifications.instant_email" in page
    assert "SMTPServerDisconnected: gone" in page


def test_the_periodic_jobs_cannot_be_edited_from_the_admin(admin_client):
    run = PeriodicRun.objects.create(name="webhooks.retry_deliveries")

    response = admin_client.post(
        reverse("admin:core_periodicrun_change", args=[run.pk]), {"name": "renamed"}
    )

    run.refresh_from_db()
    assert response.status_code == 403
    assert run.name == "webhooks.retry_deliveries"
