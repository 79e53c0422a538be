"""`{% time_ago %}` and `|ago` remember their texts per process (forum_tags): the full date
per minute, language and time zone, the relative time per language and number. What they
give must be what Django's own formatting gives, whatever was remembered before."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from forum.templatetags.forum_tags import ago, time_ago


def _by_django(when):
    local = timezone.template_localtime(when)
    if (timezone.now() - when).total_seconds() < 60:
        since = _("just now")
    else:
        since = _("%(time)s ago") % {"time": timesince(when, depth=1)}
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(),
        date_format(local, "DATETIME_FORMAT"),
        since,
    )


MOMENTS = [
    timedelta(seconds=5),
    timedelta(seconds=61),
    timedelta(minutes=59, seconds=59),
    timedelta(hours=1),
    timedelta(hours=2, minutes=1),
    timedelta(days=1, seconds=1),
    timedelta(days=8),
    timedelta(days=40),
    timedelta(days=400),
    timedelta(days=800, seconds=17),
]


@pytest.mark.parametrize("language", ["en", "id"])
def test_time_ago_gives_what_djangos_formatting_gives(language):
    now = timezone.now()
    with translation.override(language):
        for _round in range(2):  # the second round is served from what was remembered
            for delta in MOMENTS:
                when = now - delta
                assert time_ago(when) == _by_django(when)


def test_a_remembered_date_follows_the_language_and_the_time_zone():
    when = timezone.now() - timedelta(days=3)
    with translation.override("en"):
        english = time_ago(when)
    with translation.override("id"):
        indonesian = time_ago(when)
        assert indonesian == _by_django(when)
        with timezone.override("America/New_York"):
            assert time_ago(when) == _by_django(when) != indonesian
    with translation.override("en"):
        assert time_ago(when) == english != indonesian


def test_moments_of_one_minute_share_its_text_but_not_their_machine_date():
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=5, minutes=30)
    first, second = time_ago(start + timedelta(seconds=1)), time_ago(start + timedelta(seconds=42))
    assert first != second
    assert first.split('title="')[1] == second.split('title="')[1]


def test_ago_is_empty_for_no_date():
    assert ago(None) == ""
    assert time_ago(None) == ""
