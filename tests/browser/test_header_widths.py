"""The header is one row at every width, not only on phones and wide desktops: between
the phone layout and the desktop one (tablets, a narrow window) it used to wrap to two."""

import pytest

from tests.browser.conftest import log_in, skip_module_unless_ready
from tests.browser.pages import build_community

skip_module_unless_ready()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ONE_ROW = 80  # px: the desktop row (a 44 px search box) and its padding; two rows are over 100
WIDTHS = [640, 768, 900, 1024, 1151, 1152, 1280]


def test_the_header_is_one_row_from_tablet_to_desktop(new_context, live_server):
    community = build_community()
    visitor = new_context(viewport={"width": 1280, "height": 800}, locale="id-ID").new_page()
    member_context = new_context(viewport={"width": 1280, "height": 800})
    log_in(member_context, community.member, live_server)
    member = member_context.new_page()

    wrapped = []
    for who, page in (("visitor (id)", visitor), ("member", member)):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(community.question.get_absolute_url())
            height = page.locator(".site-header").bounding_box()["height"]
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if height >= ONE_ROW or overflow > 0:
                wrapped.append(f"{who} at {width} px: {height:.0f} px high, {overflow} px too wide")
    assert wrapped == []
