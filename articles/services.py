from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Takedown
from media.publishing import acting_as, require_publish_right

# Both save article by article on purpose: save() cleans the body and stamps the
# time, each save is what django-reversion records in the admin's revision, and
# the publishing guard (media/publishing.py) sees each one as done by `user`.


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
