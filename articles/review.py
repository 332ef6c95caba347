"""Reviewed edits to live stories: what a held change holds, and how it is shown and merged.

An Editor's save of a published article becomes a PendingChange (articles/services.py
holds, publishes and sends it back). The change is the whole proposed story: every
field the form edits, its tags and topics, its Related Content picks, the main
image, and the corrections and updates it adds. It is stored as JSON in the
PendingChange, not as a django-reversion version: a version is a record of what
was saved (the History lists it, restores write it back) and holds rows with ids,
while a proposal's new picks and corrections have none yet; one JSON row is what
the form, the review diff and the preview each read in one query.

The data, by key:

- ``fields``: only what differs from the live story, by field name (foreign keys
  and topics as ids, tags as names, ``related`` as the ordered ids of the picks);
- ``base``: for each of those, the live value when the change was first made
  (publishing over a newer live edit then finds the conflict, field by field,
  instead of silently undoing that edit);
- ``notes``: corrections and updates to append (published ones are never edited);
- ``counterpart`` (only when set): the id of another edition's story to link this
  one with, checked again and linked when the change is published
  (articles/counterparts.py), never before: readers' edition switchers would lead
  to it at once;
- ``unlink`` (only when true): take the story out of its counterparts when the
  change is published (the desk's Unlink control), before linking ``counterpart``
  if it also names one: the link is judged as of the story unlinked (`linking_from`).
"""

import copy
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles.counterparts import CounterpartRefused, counterpart_link_problem
from articles.diffs import Row, edition_name, html_to_text, listed, row, shown_value
from articles.models import Article, ArticleNote, RelatedArticle, Topic
from articles.sanitize import sanitize_html
from articles.urling import unicode_slug
from publishing.edition_guard import EditionLinkRefused, stored_link_problems
from web.text import clean_text

# What a held change carries: the article's reviewed fields (the write guard's list,
# Article.REVIEWED_FIELDS, so the two never drift apart), its subjects and its picks.
REVIEWED_FIELDS = [*Article.REVIEWED_FIELDS, "topics", "tags", "related"]
SUBJECTS = ("topics", "tags", "related")


def field_label(name: str) -> str:
    """Return a reviewed field's label as editors read it ("Lead", "Related Content")."""
    if name == "related":
        return _("Related Content")
    return capfirst(Article._meta.get_field(name).verbose_name)


# --- The story as data ------------------------------------------------------------------


def live_story(article: Article) -> dict:
    """Return the reviewed fields of the stored article, shaped like a change's `fields`."""
    data = {
        name: getattr(article, Article._meta.get_field(name).attname)
        for name in Article.REVIEWED_FIELDS
    }
    data["topics"] = sorted(article.topics.values_list("pk", flat=True))
    data["tags"] = sorted(article.tags.names())
    data["related"] = list(
        RelatedArticle.objects.filter(article=article)
        .order_by("position", "id")
        .values_list("related_id", flat=True)
    )
    return data


def form_fields(cleaned_data: dict) -> dict:
    """Return the reviewed fields of a form's cleaned data as JSON-ready values.

    Text is stored as a save would store it (sanitised), so that the review diff and
    anything else reading the held change never meets markup the live page could not hold.
    """
    data = {}
    for name in [*Article.REVIEWED_FIELDS, "topics", "tags"]:
        if name not in cleaned_data:
            continue
        value = cleaned_data[name]
        if isinstance(value, models.Model):
            value = value.pk
        elif name == "topics":
            value = sorted(topic.pk for topic in value or [])
        elif name == "tags":
            value = _known_tag_names(value or [])
        elif name == "body":
            value = sanitize_html(value or "")
        elif isinstance(value, str):
            value = clean_text(value)
        data[name] = value
    return data


def _known_tag_names(names: list[str]) -> list[str]:
    """Return tag names sorted, spelled as stored tags are (tags match case-insensitively)."""
    if not names:
        return []
    matching = Q()
    for name in names:
        matching |= Q(name__iexact=name)
    known = {
        tag.casefold(): tag for tag in Tag.objects.filter(matching).values_list("name", flat=True)
    }
    return sorted({known.get(name.casefold(), name) for name in names})


def proposed_story(form, formsets) -> dict:
    """Return what the article form proposes: its fields, picks, new notes and new link.

    The picks are the Related Content rows kept in the form, in their order; the notes
    are the rows added (rows already stored are published corrections: append-only);
    the link is the counterpart picked, unless the story is linked with it already.
    """
    fields = form_fields(form.cleaned_data)
    notes = []
    for formset in formsets:
        if formset.model is RelatedArticle:
            fields["related"] = _picks(formset)
        elif formset.model is ArticleNote:
            notes = _new_notes(formset)
    counterpart = form.cleaned_data.get("counterpart")
    group = form.instance.translation_group
    if counterpart is not None and (group is None or counterpart.translation_group != group):
        return {"fields": fields, "notes": notes, "counterpart": counterpart.pk}
    return {"fields": fields, "notes": notes}


def _kept_forms(formset):
    deleted = set(map(id, getattr(formset, "deleted_forms", [])))
    for index, form in enumerate(formset.forms):
        if id(form) in deleted or not getattr(form, "cleaned_data", None):
            continue
        yield index, form


def _picks(formset) -> list[int]:
    rows = []
    for index, form in _kept_forms(formset):
        related = form.cleaned_data.get("related")
        if related is not None:
            rows.append((form.cleaned_data.get("position") or 0, index, related.pk))
    picks = []
    for _position, _index, pk in sorted(rows):
        if pk not in picks:
            picks.append(pk)
    return picks


def _new_notes(formset) -> list[dict]:
    notes = []
    for _index, form in _kept_forms(formset):
        if form.instance.pk is not None or not form.cleaned_data.get("text"):
            continue
        noted_at = form.cleaned_data.get("noted_at") or timezone.now()
        notes.append(
            {
                "kind": form.cleaned_data.get("kind") or ArticleNote.Kind.UPDATE,
                "text": clean_text(form.cleaned_data["text"]),
                "noted_at": noted_at.isoformat(),
            }
        )
    return notes


def held_change_data(live: dict, proposed: dict, prior: dict | None = None) -> dict | None:
    """Return the change to hold: what `proposed` alters of the `live` story (None: nothing).

    `prior` is the open change this one replaces: a field it already changed keeps
    the live value it was changed from, so a live edit made meanwhile still shows
    as a conflict when the change is published.
    """
    prior_fields, prior_base = _fields(prior), (prior or {}).get("base", {})
    fields, base = {}, {}
    for name, value in proposed["fields"].items():
        if value == live.get(name):
            continue
        fields[name] = value
        base[name] = (
            prior_base[name] if name in prior_fields and name in prior_base else live.get(name)
        )
    notes = list(proposed.get("notes") or [])
    counterpart = proposed.get("counterpart")
    # The form says nothing of an unlink (its own control does): a save keeps the prior's.
    unlink = proposed.get("unlink", (prior or {}).get("unlink", False))
    if not fields and not notes and counterpart is None and not unlink:
        return None
    data = {"fields": fields, "base": base, "notes": notes}
    if counterpart is not None:
        data["counterpart"] = counterpart
    if unlink:
        data["unlink"] = True
    return data


def held_proposal(data: dict | None, *, unlink: bool) -> dict:
    """Return the open change `data` (None: none) as a proposal, with its unlink set or not.

    What `proposed_story` returns, to hold again with only the Unlink control's part changed.
    """
    data = data or {}
    proposal = {"fields": dict(_fields(data)), "notes": list(data.get("notes", []))}
    if data.get("counterpart") is not None:
        proposal["counterpart"] = data["counterpart"]
    return {**proposal, "unlink": unlink}


def _fields(data: dict | None) -> dict:
    return (data or {}).get("fields", {})


def held_notes(data: dict) -> list[ArticleNote]:
    """Return the corrections and updates a change adds, as unsaved rows."""
    return [
        ArticleNote(
            kind=note["kind"],
            text=note["text"],
            noted_at=parse_datetime(note["noted_at"]) or timezone.now(),
        )
        for note in data.get("notes", [])
    ]


# --- Publishing it -------------------------------------------------------------------------


def held_counterpart(data: dict) -> Article | None:
    """Return the story a change links as a counterpart (None: it links none).

    Raises CounterpartRefused, with the reason, if that story was deleted since.
    """
    pk = data.get("counterpart")
    if pk is None:
        return None
    counterpart = Article.objects.filter(pk=pk).first()
    if counterpart is None:
        raise CounterpartRefused(_("The story this change links as a counterpart was deleted."))
    return counterpart


def linking_from(article: Article, data: dict) -> Article:
    """Return `article` as the change's link finds it: out of its counterparts if the
    change unlinks it (a copy; nothing is saved), else itself."""
    if not data.get("unlink") or article.translation_group is None:
        return article
    unlinked = copy.copy(article)
    unlinked.translation_group = None
    return unlinked


def held_link_problem(article: Article, data: dict, user) -> str | None:
    """Return why publishing `data` now as `user` would refuse the link it carries, or None.

    The rule publishing applies (`held_counterpart`, then articles/counterparts.py's
    check, which `article_counterparts_link` makes again under row locks), asked
    without locks so the review page can say it before Publish is pressed. The
    article is judged in the edition the change puts it in, and unlinked first if the
    change unlinks it (as publishing does). Two queries or so; none for a change that
    links nothing.
    """
    try:
        counterpart = held_counterpart(data)
    except CounterpartRefused as refused:
        return str(refused)
    if counterpart is None:
        return None
    return counterpart_link_problem(
        article=linking_from(article, data),
        counterpart=counterpart,
        user=user,
        language=_fields(data).get("language"),
    )


@dataclass(frozen=True)
class Clash:
    """A field both the held change and a later live edit changed: someone must choose."""

    name: str
    live: object
    proposed: object


def publish_plan(live: dict, data: dict) -> tuple[dict, list[Clash]]:
    """Return (fields to write, clashes) for publishing `data` over the `live` story now.

    A field the live story still has as the change found it takes the change; a
    field changed live since, to something else, is a clash for the Chief Editor.
    """
    writes, clashes = {}, []
    base = data.get("base", {})
    for name, proposed in _fields(data).items():
        now = live.get(name)
        if now == proposed:
            continue
        if now == base.get(name, now):
            writes[name] = proposed
        else:
            clashes.append(Clash(name, now, proposed))
    return writes, clashes


def write_story(article: Article, fields: dict, notes: list[ArticleNote]) -> None:
    """Save `fields` and append `notes` to the stored article (inside the caller's revision)."""
    apply_change(article, {"fields": fields})
    article.save()
    if "topics" in fields:
        article.topics.set(fields["topics"])
    if "tags" in fields:
        article.tags.set(fields["tags"])
    if "related" in fields:
        _set_picks(article, fields["related"])
    if "language" in fields:
        # Moved: its topics and picks as stored now (a Chief Editor may have added some
        # since the change was held) go with it only if they are of its new edition.
        problems = stored_link_problems(article)
        if problems:
            raise EditionLinkRefused(" ".join(problems.values()))
    for note in notes:
        note.article = article
        note.save()


def _set_picks(article: Article, picks: list[int]) -> None:
    # One save or delete each (not bulk): revisions and the page caches see every row.
    existing = {link.related_id: link for link in RelatedArticle.objects.filter(article=article)}
    for pk, link in existing.items():
        if pk not in picks:
            link.delete()
    for position, pk in enumerate(picks):
        link = existing.get(pk)
        if link is None:
            RelatedArticle.objects.create(article=article, related_id=pk, position=position)
        elif link.position != position:
            link.position = position
            link.save(update_fields=["position"])


def apply_change(article: Article, data: dict) -> Article:
    """Set a change's plain fields on `article` in memory (subjects and picks are not set).

    The text is sanitised as a save would, whatever the stored change holds: the
    preview shows a Chief Editor what readers would get, never the raw input.
    """
    for name, value in _fields(data).items():
        if name in SUBJECTS:
            continue
        setattr(article, Article._meta.get_field(name).attname, value)
    article.sanitize()
    return article


# --- Showing it --------------------------------------------------------------------------


class Names:
    """Names for the ids two stories hold, looked up once per kind."""

    MODELS = {"section": "Section", "author": "Author", "photo": "Photo", "social_photo": "Photo"}

    def __init__(self, *stories: dict):
        wanted: dict[type, set] = {}
        for story in stories:
            for name, value in story.items():
                model = self._model(name)
                if model is not None and value not in (None, "", []):
                    wanted.setdefault(model, set()).update(
                        value if isinstance(value, list) else [value]
                    )
        self.found = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}

    @staticmethod
    def _model(name: str):
        if name == "related":
            return Article
        if name == "tags" or name not in {f.name for f in Article._meta.get_fields()}:
            return None
        field = Article._meta.get_field(name)
        return field.related_model if field.is_relation else None

    def text(self, name: str, value) -> str:
        """Return one field's value as an editor reads it."""
        shown = self.shown(name, value)
        return listed(shown) if isinstance(shown, list) else shown

    def shown(self, name: str, value) -> str | list[str]:
        """Return one field's value as text, or as a list of names for many-valued fields."""
        model = self._model(name)
        if model is not None:
            ids = value if isinstance(value, list) else [value]
            items = [self.found.get(model, {}).get(pk) for pk in ids if pk not in (None, "")]
            names = [str(item) if item is not None else _("(deleted)") for item in items]
            return names if isinstance(value, list) else listed(names)
        if name == "body":
            return html_to_text(value or "")
        if name == "language":
            return edition_name(value) if value else ""
        if name == "tags":
            return sorted(value or [])
        return shown_value(value)


def change_names(live: dict, data: dict) -> Names:
    """Return the names a change's rows and clashes show, in one query per kind."""
    fields = _fields(data)
    return Names({name: live.get(name) for name in fields}, fields)


def change_rows(live: dict, data: dict, names: Names) -> list[Row]:
    """Return the change as labelled rows: the live value beside the proposed one."""
    fields = _fields(data)
    rows = [
        row(
            name,
            field_label(name),
            names.shown(name, live.get(name)),
            names.shown(name, fields[name]),
        )
        for name in REVIEWED_FIELDS
        if name in fields and fields[name] != live.get(name)
    ]
    rows += [
        row("notes", _("New: %s") % note.get_kind_display(), "", note_text(note))
        for note in held_notes(data)
    ]
    return rows


def _linked_once(article: Article, pk: int | None):
    """Return the stories `article` is linked with once linked with story `pk` (itself left out).

    Those of its own group and of `pk`'s group, and `pk`: what linking them joins
    (articles/counterparts.py keeps one story per edition in a group). No `pk`: its
    own group's.
    """
    wanted = Q(pk__in=[])
    if pk is not None:
        theirs = Article.objects.filter(pk=pk).values("translation_group")
        wanted |= Q(pk=pk) | Q(translation_group__in=theirs)
    if article.translation_group:
        wanted |= Q(translation_group=article.translation_group)
    return Article.objects.filter(wanted).exclude(pk=article.pk)


def _edition_label(article: Article) -> str:
    return f"{article.isolated_title} ({article.get_language_display()})"


def counterpart_rows(article: Article, data: dict) -> list[Row]:
    """Return the link or unlink a change makes as a row: the story's counterparts now,
    then after it (an unlink leaves none of them, then the link joins its story's).

    One query, and none for a change that neither links nor unlinks.
    """
    pk, unlink = data.get("counterpart"), bool(data.get("unlink"))
    if pk is None and not unlink:
        return []
    found = list(_linked_once(article, pk).only("title", "language", "translation_group"))
    group = article.translation_group
    now = [item for item in found if group and item.translation_group == group]
    target = next((item for item in found if item.pk == pk), None)
    theirs = target.translation_group if target is not None else None
    joined = [
        item for item in found if item is target or (theirs and item.translation_group == theirs)
    ]
    kept = [] if unlink else now
    after = kept + [item for item in joined if item not in kept]
    names = [_edition_label(item) for item in after]
    if pk is not None and target is None:
        names.append(_("(deleted)"))
    label = _("Counterpart in another edition")
    return [row("counterpart", label, [_edition_label(item) for item in now], names)]


def note_text(note: ArticleNote) -> str:
    """Return a correction or update as readers read it: its date, then its text."""
    when = note.noted_at
    if isinstance(when, datetime):
        when = shown_value(when)
    return f"{when}: {note.text}"


def clash_text(clashes: list[Clash], names: Names) -> dict[str, tuple[str, str]]:
    """Return each clash's live and proposed values as text, by field name."""
    return {c.name: (names.text(c.name, c.live), names.text(c.name, c.proposed)) for c in clashes}


# --- The form and the preview --------------------------------------------------------------


def tag_objects(names: list[str]) -> list[Tag]:
    """Return tags by name: stored ones, and unsaved ones for names not used yet."""
    stored = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [stored.get(name) or Tag(name=name, slug=unicode_slug(name)) for name in names]


def preview_story(article: Article, data: dict) -> Article:
    """Set the whole change on `article` (from `with_detail()`) in memory, for the preview.

    Nothing is saved: fields, tags, topics and the corrections added are set on the
    instance, where the page reads them (`shown_tags`, `shown_topics`, `shown_notes`);
    the picks are the caller's (`preview_picks`).
    """
    fields = _fields(data)
    apply_change(article, data)
    if "tags" in fields:
        article.__dict__["shown_tags"] = tag_objects(fields["tags"])
    if "topics" in fields:
        topics = Topic.objects.filter(pk__in=fields["topics"]).order_by("name", "id")
        article.__dict__["shown_topics"] = list(topics)
    notes = list(article.shown_notes) + held_notes(data)
    article.__dict__["shown_notes"] = sorted(notes, key=lambda note: note.noted_at)
    return article


def preview_counterparts(article: Article, data: dict) -> dict[str, Article] | None:
    """Return the counterparts readers would be led to once the change links or unlinks
    its story (as `Article.live_counterparts`), or None if it does neither."""
    pk = data.get("counterpart")
    if pk is None:
        return {} if data.get("unlink") else None
    linking = linking_from(article, data)
    return _linked_once(linking, pk).first_visible_by_edition(besides=article.language)


def preview_picks(data: dict) -> list[int] | None:
    """Return the picks the change proposes, if it changes them."""
    return _fields(data).get("related")


def preview_related(article: Article, picks: list[int], live_picks: list[int]) -> list[Article]:
    """Return Related Content as it would be with `picks`: those readers may see, then the rest.

    The rest is the article's stored list without its present picks (the background
    job recomputes the list once the change is published).
    """
    from articles.related import RELATED_LIMIT, related_articles

    visible = Article.objects.published().select_related("section").in_bulk(picks)
    chosen = [visible[pk] for pk in picks if pk in visible]
    others = [
        item
        for item in related_articles(article, limit=2 * RELATED_LIMIT)
        if item.pk not in picks and item.pk not in live_picks
    ]
    return (chosen + others)[:RELATED_LIMIT]
