"""Imports flow one way (docs/ARCHITECTURE.md, "The layers"): the import-linter contracts
in pyproject.toml hold for the code, and they do catch a back-edge."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (the venv's own lint-imports, fixed arguments)
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_layers_are_these():
    layers = next(c for c in _contracts() if c["id"] == "layers")["layers"]

    assert layers == [
        "config",
        "reports | webhooks",
        "search",
        "kb",
        "moderation | notifications | support",
        "forum | themes",
        "accounts",
        "core",
    ]


def test_the_code_keeps_every_contract():
    result = _lint(ROOT)

    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_a_back_edge_from_the_forum_breaks_the_build(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    for package in config["root_packages"]:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "forum" / "actions.py").write_text("def index():\n    from search import x\n")
    (tmp_path / "search" / "x.py").write_text("")

    result = _lint(tmp_path)

    assert result.returncode != 0
    assert "forum.actions -> search.x" in result.stdout
