"""Checks for the Bahasa Indonesia catalogue (locale/id/LC_MESSAGES).

The .po file is parsed with the standard library only, so these tests need
neither polib nor a database.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale" / "id" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdif]")


def _unquote(line):
    return ast.literal_eval(line)


def parse_po(path):
    """Return the catalogue's entries as dicts, header included.

    Each entry has ``flags`` (set), ``msgctxt``, ``msgid``, ``msgid_plural``
    (or None) and ``msgstr`` (list: one item, or one per plural form).
    Obsolete ``#~`` entries are skipped.
    """
    entries = []
    entry = None
    field = None

    def new_entry():
        return {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}}

    def finish():
        if entry is not None and entry["msgid"] is not None:
            entry["msgstr"] = [entry["msgstr"][k] for k in sorted(entry["msgstr"])]
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry is not None and entry["msgid"] is not None and field is not None:
                finish()
                entry, field = None, None
            if entry is None:
                entry = new_entry()
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith('"'):
            value = _unquote(line)
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += value
            else:
                entry[field] += value
            continue
        keyword, _, rest = line.partition(" ")
        value = _unquote(rest)
        if keyword in ("msgctxt", "msgid") and entry is not None and field not in (None, "msgctxt"):
            finish()
            entry = None
        if entry is None:
            entry = new_entry()
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match:
            field = ("msgstr", int(match.group(1)))
            entry["msgstr"][field[1]] = value
        elif keyword == "msgstr":
            field = ("msgstr", 0)
            entry["msgstr"][0] = value
        elif keyword in ("msgctxt", "msgid", "msgid_plural"):
            field = keyword
            entry[keyword] = value
        else:
            raise ValueError(f"unexpected line in {path}: {raw!r}")
    finish()
    return entries


ENTRIES = parse_po(PO_PATH)
HEADER = next(e for e in ENTRIES if e["msgid"] == "" and e["msgctxt"] is None)
MESSAGES = [e for e in ENTRIES if e is not HEADER]


def _label(entry):
    return entry["msgid"][:60]


def test_header():
    header = HEADER["msgstr"][0]
    assert "Language: id\n" in header
    assert "charset=UTF-8" in header
    assert "Plural-Forms: nplurals=1; plural=0;" in header
    assert "fuzzy" not in HEADER["flags"]


def test_catalogue_is_not_empty():
    assert len(MESSAGES) > 500


@pytest.mark.parametrize("entry", MESSAGES, ids=_label)
def test_every_entry_is_translated_and_not_fuzzy(entry):
    assert "fuzzy" not in entry["flags"]
    assert entry["msgstr"], "no msgstr"
    assert all(s.strip() for s in entry["msgstr"]), "empty msgstr"
    if entry["msgid_plural"] is not None:
        assert len(entry["msgstr"]) == 1, "Indonesian has one plural form"


@pytest.mark.parametrize("entry", MESSAGES, ids=_label)
def test_placeholders_are_kept(entry):
    sources = [entry["msgid"]]
    if entry["msgid_plural"] is not None:
        sources.append(entry["msgid_plural"])
    expected = set(PLACEHOLDER.findall(entry["msgid"]))
    for source in sources[1:]:
        expected |= set(PLACEHOLDER.findall(source))
    for msgstr in entry["msgstr"]:
        assert set(PLACEHOLDER.findall(msgstr)) == expected


def test_compiled_catalogue_matches_po():
    with MO_PATH.open("rb") as fp:
        catalog = gettext.GNUTranslations(fp)._catalog
    compiled = {}
    for key, value in catalog.items():
        if isinstance(key, tuple):
            compiled.setdefault(key[0], value)
        elif key:
            compiled[key] = value
    expected = {}
    for entry in MESSAGES:
        key = (
            entry["msgid"]
            if entry["msgctxt"] is None
            else f"{entry['msgctxt']}\x04{entry['msgid']}"
        )
        expected[key] = entry["msgstr"][0]
    assert len(compiled) == len(expected)
    assert compiled == expected, "django.mo is stale: run compilemessages"


def test_django_uses_the_indonesian_catalogue():
    with translation.override("id"):
        assert translation.gettext("Log in") == "Masuk"
        assert translation.gettext("Sign up") == "Daftar"
        assert translation.gettext("Log out") == "Keluar"
        assert (
            translation.ngettext("%(counter)s answer", "%(counter)s answers", 3)
            == "%(counter)s jawaban"
        )
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"
