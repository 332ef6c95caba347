"""Templates keep the floors too: an app's templates load no tag library of an app above it.

A `{% load %}` crosses a floor as an import does (STYLE.md, "String references count
as imports"); import-linter cannot see it, so this test reads the templates against
the layers contract in pyproject.toml.
"""

import re
import tomllib
from pathlib import Path

from django.template.backends.django import get_installed_libraries

ROOT = Path(__file__).resolve().parent.parent
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def floors() -> dict[str, int]:
    """Return each of our apps' floor, 0 at the top (pyproject's layers contract)."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in contracts["contracts"] if c["type"] == "layers")["layers"]
    return {app.strip(): number for number, line in enumerate(layers) for app in line.split("|")}


def library_apps() -> dict[str, str]:
    """Return the app each of our template tag libraries belongs to."""
    ours = floors()
    return {
        name: module.split(".")[0]
        for name, module in get_installed_libraries().items()
        if module.split(".")[0] in ours
    }


def test_no_app_template_loads_a_tag_library_from_a_floor_above():
    floor, libraries = floors(), library_apps()
    crossings = []
    for template in sorted((ROOT / "templates").glob("*/**/*.html")):
        app = template.relative_to(ROOT / "templates").parts[0]
        if app not in floor:
            continue  # admin overrides, shared includes, error pages: the site's own
        for names in LOAD.findall(template.read_text()):
            for name in names.split():
                owner = libraries.get(name)
                if owner and floor[owner] < floor[app]:
                    crossings.append(f"{template.relative_to(ROOT)} loads {name} ({owner})")
    assert crossings == []


def test_the_check_sees_every_app_with_templates_and_libraries():
    floor, libraries = floors(), library_apps()

    assert {"comment_tags", "site_tags", "article_tags", "date_tags"} <= set(libraries)
    assert floor["alwaght"] < floor["comments"] < floor["articles"] < floor["publishing"]
