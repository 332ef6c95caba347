from django.utils import timezone

from articles.models import Article
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


def article_unpublish(*, articles, user) -> int:
    """Take `articles` off the site (back to draft); return how many changed."""
    require_publish_right(user)
    changed = 0
    with acting_as(user):
        for article in articles.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article.updated_by = user
            article.save()
            changed += 1
    return changed
