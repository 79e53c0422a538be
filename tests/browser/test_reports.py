"""The staff reports' charts and tables pass axe at desktop and 360 px (the Wagtail admin
around them is Wagtail's; axe looks at what Tanya adds: the filter, charts and tables)."""

import pytest

from tests.browser.conftest import (
    DESKTOP,
    axe_violations,
    log_in,
    screenshot,
    skip_module_unless_ready,
)
from tests.factories import AnswerFactory, QuestionFactory, StaffFactory

skip_module_unless_ready(axe=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NARROW = {"width": 360, "height": 740}
CONTEXT = {"include": [[".reports-filter"], [".reports-chart"], [".reports-section"]]}


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "phone"])
def test_the_responsiveness_report_passes_axe(new_context, live_server, viewport):
    for _ in range(2):
        AnswerFactory(question=QuestionFactory())
    QuestionFactory(title="Still waiting for anyone")
    context = new_context(viewport=viewport)
    log_in(context, StaffFactory(is_superuser=True), live_server)
    page = context.new_page()

    page.goto("/admin/staff-reports/responsiveness/")
    violations = axe_violations(page, context=CONTEXT)

    screenshot(page, "report-responsiveness")
    assert page.locator("svg[role=img]").count() == 2
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
