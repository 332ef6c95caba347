"""Typed reads of the environment for settings.py: each variable parsed in one place.

A value that is set but unusable (ALWAGHT_ARTICLES_PER_PAGE=twenty) stops the
start with the variable's name, rather than a bare ValueError; an empty value
means "not set".
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def load_env_file(path: Path) -> None:
    """Read KEY=VALUE lines from `path` into the environment, where not already set.

    `make run` writes .env with DJANGO_DEBUG=1, so every manage.py command on a
    development checkout is in development mode; real environment variables win.
    """
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            os.environ.setdefault(key.strip(), value.strip().strip("'\""))


def env_bool(name: str, default: bool = False) -> bool:
    """Return 1/true/yes/on as True, anything else set as False, unset as `default`."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Return a comma-separated value as a list of its non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    """Return a whole number, or `default` when unset or empty."""
    return _parsed(name, default, int, "a whole number")


def env_float(name: str, default: float) -> float:
    """Return a number (decimals allowed), or `default` when unset or empty."""
    return _parsed(name, default, float, "a number")


def _parsed(name, default, parse, kind):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return parse(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be {kind}, not {value!r}.") from None
