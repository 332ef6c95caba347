"""The README and docs/ must stay true to the code: paths, links, the map, the commands."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]
TOP_LEVEL = "|".join(
    ["alwaght", "articles", "cdn", "comments", "deploy", "media", "pagecache", "popularity"]
    + ["topics", "web", "templates", "static", "tests", "scripts", "locale", "docs"]
)
PATH = re.compile(rf"`((?:{TOP_LEVEL})/[^`\s]*)`")
# [text](target) and ![alt](target), not inside code spans.
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def section(text: str, title: str) -> str:
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def anchors(page: Path) -> set[str]:
    """Return the anchors GitHub gives the page's headings."""
    headings = re.findall(r"(?m)^#{1,6} (.+)$", _without_code_blocks(page.read_text()))
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def _without_code_blocks(text: str) -> str:
    return re.sub(r"(?ms)^```.*?^```", "", text)


def test_there_are_docs_pages_and_the_readme_maps_each_of_them():
    readme = README.read_text()
    linked = {ROOT / target for target in LINK.findall(section(readme, "Documentation"))}

    assert len(DOCS) >= 8
    assert [page.name for page in DOCS if page not in linked] == []


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_path_a_page_names_exists(page):
    named = PATH.findall(page.read_text())

    assert [path for path in named if not (ROOT / path).exists()] == []


def test_where_things_live_names_only_files_that_exist():
    development = (ROOT / "docs" / "development.md").read_text()
    named = PATH.findall(section(development, "Where things live"))

    assert len(named) > 20  # the map is there, and this test reads it
    assert [path for path in named if not (ROOT / path).exists()] == []


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_link_leads_to_a_file_and_heading_that_exist(page):
    broken = []
    for target in LINK.findall(_without_code_blocks(page.read_text())):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, anchor = target.partition("#")
        destination = (page.parent / path).resolve() if path else page
        if not destination.exists():
            broken.append(target)
        elif anchor and anchor not in anchors(destination):
            broken.append(target)

    assert broken == []


def test_the_readme_is_short_and_starts_with_the_two_commands():
    text = README.read_text()
    first_block = re.search(r"(?ms)^```sh\n(.*?)^```", text).group(1)

    assert len(text.splitlines()) < 250
    assert [line.split()[:2] for line in first_block.splitlines()] == [
        ["make", "run"],
        ["make", "test"],
    ]
    assert text.index("```sh") < text.index("\n## ")  # at the top, before any section


def test_the_readme_shows_each_edition_and_the_desk():
    images = LINK.findall(section(README.read_text(), "What it looks like"))

    assert sorted(Path(image).name for image in images) == [
        "desk.png",
        "front-ar.png",
        "front-en.png",
        "front-fa.png",
    ]
    assert all((ROOT / image).stat().st_size > 10_000 for image in images)


def test_every_dependency_is_in_the_dependencies_table():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        declared += extra
    names = {re.split(r"[\[<>=!~ ]", name, maxsplit=1)[0].lower() for name in declared}
    table = section((ROOT / "docs" / "development.md").read_text(), "Dependencies and why").lower()

    assert len(names) > 20
    assert sorted(name for name in names if name not in table) == []
