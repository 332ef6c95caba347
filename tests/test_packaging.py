"""Every package of the project is built, linted as first-party and layered."""

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PACKAGES = sorted(
    path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name != "tests"
)


def test_the_project_has_its_packages():
    assert {"alwaght", "articles", "comments", "media", "popularity", "topics", "web"} <= set(
        PACKAGES
    )


def test_the_built_package_carries_every_app_and_the_site_files():
    include = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]

    for name in [*PACKAGES, "templates", "static", "locale"]:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in include), name


def test_ruff_and_import_linter_know_every_package():
    first_party = PYPROJECT["tool"]["ruff"]["lint"]["isort"]["known-first-party"]
    layered = PYPROJECT["tool"]["importlinter"]["root_packages"]

    assert sorted(set(PACKAGES) - set(first_party)) == []
    assert sorted(set(PACKAGES) - set(layered)) == []
