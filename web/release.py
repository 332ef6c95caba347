"""Which version of the code renders: a key part for HTML kept until its content changes.

Rendered fragments (web/fragments.py) stay as long as the scope tokens they were
rendered under are current, which can be days for an old article. A deploy that
changes a template, a template tag, a translation or a stylesheet's hashed name
must not be served someone else's HTML for that long, so every fragment key
carries this: ALWAGHT_RELEASE when the deploy sets it (e.g. the commit), else a
digest of the source the site renders from (about 1.3 MB, 2 ms once per process).
"""

import hashlib
import os
from functools import cache
from pathlib import Path

from django.conf import settings

# What can change a rendered page: code, templates, catalogues, static files.
SUFFIXES = frozenset({".py", ".html", ".txt", ".xml", ".mo", ".css", ".js", ".svg", ".json"})
# Not rendered from: tests, data, installed packages, documentation.
SKIPPED = frozenset({".git", ".venv", "node_modules", "var", "tests", "docs", "__pycache__"})


@cache
def code_release() -> str:
    """Return a short name of the code this process runs (the same on every machine)."""
    named = os.environ.get("ALWAGHT_RELEASE")
    if named:
        return named
    digest = hashlib.blake2b(digest_size=8)
    root = Path(settings.BASE_DIR)
    for path in sorted(_source_files(root)):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _source_files(root: Path):
    for folder, folders, files in os.walk(root):
        folders[:] = [name for name in folders if name not in SKIPPED]
        for name in files:
            if os.path.splitext(name)[1] in SUFFIXES:
                yield Path(folder) / name
