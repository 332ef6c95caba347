"""The README's map of the code must name files that exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
TOP_LEVEL = "|".join(
    ["alwaght", "articles", "cdn", "comments", "deploy", "media", "popularity", "topics", "web"]
    + ["templates", "static", "tests", "scripts"]
)
PATH = re.compile(rf"`((?:{TOP_LEVEL})/[^`\s]*)`")


def section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def test_where_things_live_names_only_files_that_exist():
    named = PATH.findall(section("Where things live"))

    assert len(named) > 20  # the map is there, and this test reads it
    assert [path for path in named if not (ROOT / path).exists()] == []


def test_every_path_named_anywhere_in_the_readme_exists():
    assert [path for path in PATH.findall(README) if not (ROOT / path).exists()] == []
