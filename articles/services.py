import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.conflicts import MINE, THEIRS
from articles.counterparts import article_counterparts_link, article_counterparts_unlink
from articles.diffs import listed
from articles.models import Article, InternalNote, PendingChange, Takedown
from articles.review import (
    held_change_data,
    held_counterpart,
    held_notes,
    held_proposal,
    live_story,
    publish_plan,
    write_story,
)
from articles.sanitize import images_without_alt_text, sanitize_html
from articles.workflow import may_post_internal_note
from media.models import Photo
from publishing.editions import EDITION_PERMISSION
from publishing.visibility import (
    PUBLISH_PERMISSION,
    VisibilityChangeRefused,
    acting_as,
    may_publish,
    require_publish_right,
)
from web.bidi import isolated
from web.numbers import parse_number
from web.people import person_name


def main_image_problem(photo) -> str | None:
    """Return why `photo` cannot be an article's main image, in words that say how to fix it.

    Photos bulk-uploaded into a gallery ("Add photos", media/galleries.py) have no alt
    text until someone writes it; readers who cannot see the picture would get an empty
    alt. The article form, a held change put live by review and "Publish selected" ask this.
    """
    if photo is None or (photo.alt_text or "").strip():
        return None
    return _(
        "The photo “%(photo)s” has no alt text yet, so it cannot be the main image. Write "
        "what it shows in its alt text (Photo library, or the grid of its gallery), then "
        "pick it again; or pick another photo."
    ) % {"photo": isolated(photo.title)}


def social_image_problem(photo) -> str | None:
    """Return why `photo` cannot be an article's share image, in words that say how to fix it.

    The share image is the og:image of links to the article, with its alt text as
    og:image:alt; the same paths as the main image's ask this.
    """
    if photo is None or (photo.alt_text or "").strip():
        return None
    return _(
        "The photo “%(photo)s” has no alt text yet, so it cannot be the share image (shown "
        "with links to the article). Write what it shows in its alt text (Photo library, or "
        "the grid of its gallery), then pick it again; or pick another photo."
    ) % {"photo": isolated(photo.title)}


def body_images_problem(body: str) -> str | None:
    """Return why `body` cannot be saved or put live: the images in it without alt text, named.

    Each is named by its library photo's title (the editor's picker writes the photo's
    id as data-file), else by its file name. One query when there are any.
    """
    missing = images_without_alt_text(sanitize_html(body or ""))  # as it would be stored
    if not missing:
        return None
    ids = {parse_number(file) for _src, file in missing} - {None}
    titles = dict(Photo.objects.filter(pk__in=ids).values_list("pk", "title")) if ids else {}
    names = [titles.get(parse_number(file)) or _file_name(src) for src, file in missing]
    return ngettext(
        "An image in the body has no alt text: %(images)s. Select it in the editor, press the "
        "figure button and write what it shows under Alternative Text; or remove it.",
        "%(count)d images in the body have no alt text: %(images)s. Select each in the editor, "
        "press the figure button and write what it shows under Alternative Text; or remove it.",
        len(names),
    ) % {"count": len(names), "images": quoted_list(names)}


def quoted_list(names: list[str]) -> str:
    """Return `names` quoted and listed as the desk's language writes it (“a”, “b”; «a»، «b»
    in Arabic and Persian), each set apart in its own direction."""
    # Translators: a name quoted in a sentence; Arabic and Persian use «%(name)s».
    quote = _("“%(name)s”")
    return listed(quote % {"name": isolated(name)} for name in names)


def _file_name(src: str) -> str:
    return src.rstrip("/").rsplit("/", 1)[-1] or src


def article_images_problem(article) -> str | None:
    """Return why `article` cannot go live as it is: an image readers get has no alt text."""
    return (
        main_image_problem(article.photo)
        or social_image_problem(article.social_photo)
        or body_images_problem(article.body)
    )


# Both save article by article on purpose: save() cleans the body and stamps the
# time, each save is what django-reversion records in the admin's revision, and
# the publishing guard (publishing/visibility.py) sees each one as done by `user`.


def article_publish(*, articles, user) -> int:
    """Publish `articles` now, or at the time already scheduled; return how many changed."""
    require_publish_right(user)
    now = timezone.now()
    changed = 0
    with acting_as(user):
        for article in articles.exclude(status=Article.Status.PUBLISHED):
            article.status = Article.Status.PUBLISHED
            article.publish_at = article.publish_at or now
            if article.unpublish_at and article.unpublish_at <= article.publish_at:
                article.unpublish_at = None
            article.updated_by = user
            article.save()
            changed += 1
    return changed


def article_unpublish(*, articles, user, reason: str) -> int:
    """Take `articles` off the site (back to draft), recording why; return how many changed.

    Readers' addresses of the taken-down articles then answer 410 Gone.
    """
    require_publish_right(user)
    reason = _required_reason(reason)
    changed = 0
    with acting_as(user):
        for article in articles.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article.updated_by = user
            article.save()
            Takedown.objects.create(article=article, taken_down_by=user, reason=reason)
            changed += 1
    return changed


def article_takedown_record(*, article: Article, user, reason: str) -> Takedown:
    """Record that `user` took the already-unpublished `article` down, and why."""
    require_publish_right(user)
    return Takedown.objects.create(
        article=article, taken_down_by=user, reason=_required_reason(reason)
    )


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the article is taken down."), code="required")
    return reason[:1000]


# --- Reviewed edits to live stories ----------------------------------------------------


class HeldChangeClashes(Exception):
    """A held change meets later live edits of the same fields: a Chief Editor must choose."""

    def __init__(self, clashes):
        super().__init__(clashes)
        self.clashes = clashes


def article_change_hold(
    *, article: Article, user, live: dict, proposed: dict, submit: bool = True, link: str = ""
) -> PendingChange | None:
    """Hold what `proposed` changes of the `live` story as the article's open change.

    `live` and `proposed` are articles/review.py's `live_story` and `proposed_story`.
    Readers keep the live version. A proposal that changes nothing holds nothing (and
    withdraws an open change it brings back to the live text). Submitting tells the
    Chief Editors of the article's desk once; a change already awaiting review is
    updated without telling them again. Returns the open change, or None.
    """
    with transaction.atomic():
        Article.objects.select_for_update().filter(pk=article.pk).first()  # one writer at a time
        change = PendingChange.objects.still_open().filter(article=article).first()
        data = held_change_data(live, proposed, change.data if change else None)
        if data is None:
            if change is not None:
                change.state = PendingChange.State.WITHDRAWN
                change.save()
            return None
        newly_submitted = submit and (change is None or change.state != PendingChange.State.PENDING)
        change = change or PendingChange(article=article)
        change.data, change.submitted_by, change.submitted_at = data, user, timezone.now()
        change.state = PendingChange.State.PENDING if submit else PendingChange.State.DRAFT
        change.save()
    if newly_submitted:
        internal_note_record(article=article, user=user, kind=InternalNote.Kind.SUBMITTED)
        _tell_chief_editors(
            article,
            _("Change to review: %(title)s") % {"title": article.title},
            _("%(user)s changed the published article “%(title)s”. Review it: %(link)s")
            % {"user": person_name(user) or _("someone"), "title": article.title, "link": link},
        )
    return change


def article_review_request(*, article: Article, user, link: str = "") -> None:
    """Tell the Chief Editors of the article's desk that it was put in review."""
    internal_note_record(article=article, user=user, kind=InternalNote.Kind.SUBMITTED)
    _tell_chief_editors(
        article,
        _("In review: %(title)s") % {"title": article.title},
        _("%(user)s put “%(title)s” in review. Review it: %(link)s")
        % {"user": person_name(user) or _("someone"), "title": article.title, "link": link},
    )


def article_change_publish(*, change: PendingChange, user, choices: dict | None = None) -> Article:
    """Put a held change live, as a new revision; corrections it adds are appended.

    A field changed live since the change was made, to something else, is not
    overwritten silently: without a choice for it in `choices` ({field: THEIRS to
    keep the live value, MINE to take the change's}) this raises HeldChangeClashes.
    An unlink the change holds takes the story out of its counterparts first; a
    counterpart the change links is then linked as `user`, through the direct path's
    locks and checks; one those checks refuse now raises CounterpartRefused, and
    nothing of the change is published (nor unlinked).
    """
    article = change.article
    _require_publisher_of(user, article)
    choices = choices or {}
    with transaction.atomic(), reversion.create_revision(), acting_as(user):
        article = Article.objects.select_for_update().get(pk=article.pk)
        writes, clashes = publish_plan(live_story(article), change.data)
        if any(choices.get(clash.name) not in (THEIRS, MINE) for clash in clashes):
            raise HeldChangeClashes(clashes)
        writes.update({c.name: c.proposed for c in clashes if choices[c.name] == MINE})
        problem = _held_images_problem(writes)
        if problem:
            raise ValidationError(problem, code="image_alt_text")
        article.updated_by = user
        write_story(article, writes, held_notes(change.data))
        if change.data.get("unlink"):
            article_counterparts_unlink(
                article=article, user=user, requested_by=change.submitted_by
            )
        counterpart = held_counterpart(change.data)  # the review page asks held_link_problem
        if counterpart is not None:
            article_counterparts_link(article=article, counterpart=counterpart, user=user)
        reversion.set_user(user)
        reversion.set_comment(
            _("Published the change submitted by %(user)s")
            % {"user": person_name(change.submitted_by) or _("someone")}
        )
        change.state, change.reviewed_by, change.reviewed_at = (
            PendingChange.State.PUBLISHED,
            user,
            timezone.now(),
        )
        change.save()
    return article


def article_counterparts_unlink_hold(
    *, article: Article, user, unlink: bool = True, link: str = ""
) -> PendingChange | None:
    """Hold taking the live `article` out of its counterparts in its open change, or
    (`unlink=False`) withdraw that; the rest of the change stays as it is.

    An Editor's unlink of a live story, as their link is: readers' edition switchers
    keep leading to its counterparts until a Chief Editor publishes the change. Joins
    an open draft as a draft, else is submitted for review (article_change_hold tells
    the Chief Editors once). Returns the open change, or None (nothing left to review).
    """
    change = PendingChange.objects.still_open().filter(article=article).first()
    data = change.data if change else None
    if bool((data or {}).get("unlink")) == unlink:
        return change  # already so: nobody is told again
    return article_change_hold(
        article=article,
        user=user,
        live=live_story(article),
        proposed=held_proposal(data, unlink=unlink),
        submit=change is None or change.state == PendingChange.State.PENDING,
        link=link,
    )


def article_change_return(*, change: PendingChange, user, note: str, link: str = "") -> None:
    """Send a held change back to its editor with a note; the live version stays.

    The change stays open: its editor finds it in the form, as they left it.
    """
    _require_publisher_of(user, change.article)
    change.state, change.reviewed_by, change.reviewed_at = (
        PendingChange.State.RETURNED,
        user,
        timezone.now(),
    )
    change.note = (note or "").strip()[:1000]
    change.save()
    internal_note_record(
        article=change.article, user=user, kind=InternalNote.Kind.SENT_BACK, text=change.note
    )
    editor = change.submitted_by
    if editor and editor.email:
        send_mail(
            _("Sent back: %(title)s") % {"title": change.article.title},
            "\n\n".join(
                [change.note or _("Your change was sent back without a note."), link]
            ).strip(),
            settings.DEFAULT_FROM_EMAIL,
            [editor.email],
        )


def article_send_back(*, article: Article, user, note: str, link: str = "") -> None:
    """Tell the editor of a submitted story, now back in draft, why it was sent back.

    The form has already put it back to draft (articles/admin/workflow.py); the
    note goes to the account that wrote it, by email with a link.
    """
    _require_publisher_of(user, article)
    note = (note or "").strip()[:1000]
    internal_note_record(article=article, user=user, kind=InternalNote.Kind.SENT_BACK, text=note)
    editor = article.created_by
    if editor and editor.email:
        send_mail(
            _("Sent back: %(title)s") % {"title": article.title},
            "\n\n".join([note or _("Your story was sent back without a note."), link]).strip(),
            settings.DEFAULT_FROM_EMAIL,
            [editor.email],
        )


# --- Internal notes --------------------------------------------------------------------


def internal_note_post(*, article: Article, user, text: str) -> InternalNote:
    """Add `user`'s note to the story's internal thread (staff of its desk only)."""
    if not may_post_internal_note(user, article):
        raise PermissionDenied(_("Only the story's desk reads and writes its notes."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the note first."), code="required")
    limit = InternalNote._meta.get_field("text").max_length
    if len(text) > limit:
        raise ValidationError(
            _("A note holds at most %(limit)d characters; this one has %(count)d.")
            % {"limit": limit, "count": len(text)},
            code="max_length",
        )
    return InternalNote.objects.create(article=article, author=user, text=text)


def internal_note_record(*, article: Article, user, kind: str, text: str = "") -> InternalNote:
    """Mark a workflow step (submitted, sent back) in the story's internal thread."""
    return InternalNote.objects.create(article=article, author=user, kind=kind, text=text)


def _require_publisher_of(user, article: Article) -> None:
    require_publish_right(user)
    if not may_publish(user, article):
        raise VisibilityChangeRefused(_("You publish only in the editions of your desks."))


def chief_editors_of(article: Article):
    """Return the active Chief Editors of the article's desk (publish right and its edition)."""
    User = get_user_model()

    def holders(app_label: str, codename: str):
        permission = Q(codename=codename, content_type__app_label=app_label)
        return User.objects.filter(
            Q(groups__permissions__in=_permissions(permission))
            | Q(user_permissions__in=_permissions(permission))
        ).values("pk")

    edition = EDITION_PERMISSION.format(article.language).split(".")
    return (
        User.objects.filter(is_active=True)
        .filter(pk__in=holders(*PUBLISH_PERMISSION.split(".")))
        .filter(pk__in=holders(*edition))
    )


def _tell_chief_editors(article: Article, subject: str, body: str) -> None:
    recipients = sorted(
        chief_editors_of(article).exclude(email="").values_list("email", flat=True).distinct()
    )
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def _permissions(condition):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(condition)


def _held_images_problem(writes: dict) -> str | None:
    """Return why the images a held change puts live cannot go (no alt text), or None."""
    for name, problem_of in (("photo", main_image_problem), ("social_photo", social_image_problem)):
        if writes.get(name) is not None:
            problem = problem_of(Photo.objects.filter(pk=writes[name]).first())
            if problem:
                return problem
    return body_images_problem(writes["body"]) if "body" in writes else None
