import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, PendingChange, Takedown
from articles.review import apply_change
from publishing.visibility import PUBLISH_PERMISSION, acting_as, require_publish_right

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


def article_change_submit(*, article: Article, user, data: dict) -> PendingChange:
    """Hold an edit to a published article for review and tell the Chief Editors.

    Readers keep the live version. An Editor's later save updates the open change.
    """
    with transaction.atomic():
        change = (
            PendingChange.objects.select_for_update()
            .filter(article=article, state=PendingChange.State.PENDING)
            .first()
        )
        if change is None:
            change = PendingChange(article=article)
        change.data, change.submitted_by, change.submitted_at = data, user, timezone.now()
        change.save()
    _tell_chief_editors(
        _("Change to review: %(title)s") % {"title": article.title},
        _("%(user)s changed the published article “%(title)s”. Review it on the desk.")
        % {"user": user, "title": article.title},
    )
    return change


def article_review_request(*, article: Article, user) -> None:
    """Tell the Chief Editors that a draft was put in review."""
    _tell_chief_editors(
        _("In review: %(title)s") % {"title": article.title},
        _("%(user)s put “%(title)s” in review.") % {"user": user, "title": article.title},
    )


def article_change_publish(*, change: PendingChange, user) -> Article:
    """Put a held change live: the article takes its text, saved as a new revision."""
    require_publish_right(user)
    article = change.article
    with transaction.atomic(), reversion.create_revision(), acting_as(user):
        apply_change(article, change.data)
        article.updated_by = user
        article.save()
        if "topics" in change.data:
            article.topics.set(change.data["topics"])
        if "tags" in change.data:
            article.tags.set(change.data["tags"])
        reversion.set_user(user)
        reversion.set_comment(
            _("Published the change submitted by %(user)s") % {"user": change.submitted_by}
        )
        change.state, change.reviewed_by, change.reviewed_at = (
            PendingChange.State.PUBLISHED,
            user,
            timezone.now(),
        )
        change.save()
    return article


def article_change_return(*, change: PendingChange, user, note: str) -> None:
    """Send a held change back to its editor with a note; the live version stays."""
    require_publish_right(user)
    change.state, change.reviewed_by, change.reviewed_at = (
        PendingChange.State.RETURNED,
        user,
        timezone.now(),
    )
    change.note = (note or "").strip()[:1000]
    change.save()
    editor = change.submitted_by
    if editor and editor.email:
        send_mail(
            _("Sent back: %(title)s") % {"title": change.article.title},
            change.note or _("Your change was sent back without a note."),
            settings.DEFAULT_FROM_EMAIL,
            [editor.email],
        )


def _tell_chief_editors(subject: str, body: str) -> None:
    app_label, codename = PUBLISH_PERMISSION.split(".")
    permission = Q(codename=codename, content_type__app_label=app_label)
    User = get_user_model()
    chiefs = (
        User.objects.filter(is_active=True)
        .filter(
            Q(groups__permissions__in=_permissions(permission))
            | Q(user_permissions__in=_permissions(permission))
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    recipients = sorted(chiefs)
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def _permissions(condition):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(condition)
