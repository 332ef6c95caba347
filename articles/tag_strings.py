"""The tag box: tags separated by commas only, so "Persian Gulf" is one tag, unquoted.

taggit's own parser splits on spaces when the box has no comma, which made a
single multi-word tag into several. Wired by TAGGIT_TAGS_FROM_STRING and
TAGGIT_STRING_FROM_TAGS in settings.py.
"""

MAX_TAG_LENGTH = 100  # taggit's Tag.name


def tags_from_string(text: str) -> list[str]:
    """Return the distinct tag names in a comma-separated box (quotes around a name dropped)."""
    names, seen = [], set()
    for part in (text or "").split(","):
        name = " ".join(part.strip().strip('"').split())[:MAX_TAG_LENGTH]
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def string_from_tags(tags) -> str:
    """Return tags as the box shows them: names, comma-separated, in order."""
    return ", ".join(sorted(tag.name for tag in tags))
