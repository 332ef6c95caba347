"""Every package of the project is built, linted as first-party and layered."""

import fnmatch
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

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


def _pinned_versions():
    """constraints.txt as {canonical name: version}."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not a pin: {line!r}"
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_the_tested_versions_are_ones_the_project_accepts():
    """Every dependency, test ones too, is pinned to a version its specifier allows,
    so `make test` runs on a set that `pip install alwaght` could also choose."""
    pins = _pinned_versions()
    project = PYPROJECT["project"]
    requirements = [
        Requirement(spec)
        for spec in [*project["dependencies"], *project["optional-dependencies"]["test"]]
    ]

    unpinned = [str(r) for r in requirements if canonicalize_name(r.name) not in pins]
    refused = [
        f"{r.name}=={pins[canonicalize_name(r.name)]} (accepted: {r.specifier})"
        for r in requirements
        if canonicalize_name(r.name) in pins
        and not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)
    ]

    assert unpinned == []
    assert refused == []
