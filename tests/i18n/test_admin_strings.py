"""The Wagtail admin in Indonesian: the project's catalogue (LOCALE_PATHS) is merged over
Wagtail's own, so it can supply what Wagtail's id_ID catalogue lacks (core/wagtail_strings.py,
docs/i18n.md)."""

import gettext as gnu_gettext
import json
from pathlib import Path

import wagtail.admin
from django.conf import settings
from django.utils import translation

from core.wagtail_strings import WAGTAIL_STRINGS

WAGTAIL_ADMIN_LOCALE = Path(wagtail.admin.__file__).parent / "locale"


def _known_translations() -> set[str]:
    known = set()
    for path in (Path(settings.BASE_DIR) / "locale" / "pending").glob("*.json"):
        known |= set(json.loads(path.read_text(encoding="utf-8")))
    catalogue = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.mo"
    known |= {k for k, v in gnu_gettext.GNUTranslations(catalogue.open("rb"))._catalog.items() if v}
    return known


def test_every_wagtail_string_the_project_supplies_has_an_indonesian_translation():
    missing = [s for s in WAGTAIL_STRINGS if s not in _known_translations()]

    assert not missing, missing


def test_the_supplied_strings_are_wagtails_own_and_missing_from_its_catalogue():
    wagtail_id = gnu_gettext.translation(
        "django", localedir=WAGTAIL_ADMIN_LOCALE, languages=["id_ID"]
    )
    english = "".join(
        path.read_text(encoding="utf-8")
        for path in Path(wagtail.admin.__file__).parent.parent.glob("**/locale/en/*/django.po")
    )

    for msgid in WAGTAIL_STRINGS:
        assert f"msgid {json.dumps(msgid, ensure_ascii=False)}" in english, msgid
        assert wagtail_id.gettext(msgid) == msgid, msgid  # Wagtail has no translation


def test_the_projects_catalogue_wins_over_wagtails_for_the_same_string():
    wagtail_id = gnu_gettext.translation(
        "django", localedir=WAGTAIL_ADMIN_LOCALE, languages=["id_ID"]
    )

    with translation.override("id"):
        ours = translation.gettext("Search")

    assert wagtail_id.gettext("Search") == "Pencarian"
    assert ours == "Cari"  # locale/id's translation, not Wagtail's
