"""Two editors, one article: find what the other saved, and let the editor choose.

Three versions of each editorial field meet when a save arrives late: the one
the editor opened (`base`, from its revision), the one saved since (`theirs`, the
database row) and the one in the form (`mine`). Every field where theirs and mine
differ, and theirs is not simply what was opened, is a conflict: the editor sees
both and picks one per field. Nothing is written until every conflict is decided.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags
from reversion.models import Version

from articles.models import Article
from articles.revisions import EDITORIAL_FIELDS, as_text, field_label, snapshot
from articles.sanitize import sanitize_html
from publishing.desk_dates import desk_date

COMPARED_FIELDS = [*EDITORIAL_FIELDS, "tags"]
THEIRS, MINE = "theirs", "mine"


@dataclass(frozen=True)
class Conflict:
    name: str
    label: str
    theirs: str
    mine: str
    chosen: str = ""  # the editor's pick so far, kept when the form is shown again

    @property
    def choice_name(self) -> str:
        return f"resolve-{self.name}"


def same_instant(first: datetime | None, second: datetime | None) -> bool:
    """Compare at the millisecond, the precision reversion keeps in its JSON."""
    if first is None or second is None:
        return first is second
    return first.replace(microsecond=first.microsecond // 1000 * 1000) == second.replace(
        microsecond=second.microsecond // 1000 * 1000
    )


def loaded_version(article: Article, loaded_at: str) -> Version | None:
    """Return the saved version the editor opened (its `updated_at` is `loaded_at`)."""
    opened = parse_datetime(loaded_at or "")
    if opened is None:
        return None
    for version in Version.objects.get_for_object(article).select_related("revision"):
        if same_instant(version.field_dict.get("updated_at"), opened):
            return version
    return None


def changed_fields_since(article: Article, loaded_at: str) -> list[str]:
    """Return the labels of fields saved since the version opened at `loaded_at`."""
    version = loaded_version(article, loaded_at)
    if version is None:
        return []
    before, after = snapshot(version), comparable(values_of_article(article))
    return [field_label(name) for name in COMPARED_FIELDS if before[name] != after[name]]


def values_of_article(article: Article) -> dict[str, object]:
    """Return the compared fields of a saved article, as the form's cleaned values are."""
    values = {name: getattr(article, name) for name in EDITORIAL_FIELDS if name != "topics"}
    values["topics"] = list(article.topics.all())
    values["tags"] = list(article.tags.names())
    return values


def comparable(values: dict[str, object]) -> dict[str, str]:
    """Return values as the text snapshot() gives for a version, to compare the three."""
    text = {}
    for name in COMPARED_FIELDS:
        value = values.get(name)
        if name == "tags":
            text[name] = ", ".join(sorted(str(tag) for tag in value or []))
        elif name == "topics":
            text[name] = ", ".join(sorted(str(topic.pk) for topic in value or []))
        elif name == "body":
            text[name] = sanitize_html(value or "")
        elif isinstance(value, models.Model):
            text[name] = str(value.pk)
        else:
            text[name] = as_text(value)
    return text


def shown(name: str, values: dict[str, object]) -> str:
    """Return one field's value as an editor reads it."""
    value = values.get(name)
    if name in ("topics", "tags"):
        return ", ".join(sorted(str(item) for item in value or [])) or "—"
    if name == "body":
        return strip_tags(value or "") or "—"
    if name == "status":
        return Article.Status(value).label if value in Article.Status.values else str(value)
    if isinstance(value, datetime):
        return desk_date(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if value not in (None, "") else "—"


def find_conflicts(article: Article, loaded_at: str, mine: dict[str, object]) -> list[Conflict]:
    """Return the fields where the saved article and the form disagree since `loaded_at`."""
    theirs = values_of_article(article)
    theirs_text, mine_text = comparable(theirs), comparable(mine)
    version = loaded_version(article, loaded_at)
    base_text = snapshot(version) if version else {}
    conflicts = []
    for name in COMPARED_FIELDS:
        if name not in mine or theirs_text[name] == mine_text[name]:
            continue
        if version is not None:
            base_value = base_text[name]
            if name == "body":
                base_value = sanitize_html(base_value)
            if base_value == theirs_text[name]:
                continue  # only this editor changed it: theirs is what they opened
        conflicts.append(Conflict(name, field_label(name), shown(name, theirs), shown(name, mine)))
    return conflicts


def theirs_value(article: Article, name: str):
    """Return the saved value of one field, in the form's cleaned type."""
    return values_of_article(article)[name]
