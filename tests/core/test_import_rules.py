"""Imports flow one way: core imports no app, and accounts imports only core (and
Django, allauth, Wagtail). Lazy imports inside functions count too."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = {"accounts", "config", "forum", "kb", "moderation", "search", "themes"}


def _imported_top_levels(app: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found |= {(str(path.relative_to(ROOT)), name.split(".")[0]) for name in names}
    return found


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [("core", APPS), ("accounts", APPS - {"accounts"})],
)
def test_an_app_imports_nothing_above_it(app, forbidden):
    offending = sorted(
        f"{path} imports {name}" for path, name in _imported_top_levels(app) if name in forbidden
    )

    assert offending == []
