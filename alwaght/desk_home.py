"""The desk's home page: what each member of the newsroom has to look at first."""

from datetime import timedelta
from itertools import groupby

from django.db.models import Q
from django.utils import timezone

from alwaght.background import JOB_LABELS, JOBS
from alwaght.job_health import jobs_health
from articles.models import Article
from comments.models import Comment

SHORT_LIST = 8
SCHEDULE_DAYS = 7


def desk_home(user, now=None) -> dict:
    """Return the home page's panels for `user` (only those their permissions allow).

    Six queries at most, whatever the archive's size: each list is a slice, and
    administrators' warning about stale background jobs one more.
    """
    now = now or timezone.now()
    panels = {}
    if user.is_superuser:  # the operators: only they can start a stopped worker
        panels["stale_jobs"] = [
            {"name": job.name, "label": JOB_LABELS[job.name], "reason": job.reason}
            for job in jobs_health(list(JOBS), now=now)
            if job.stale
        ]
    if user.has_perm("articles.view_article"):
        articles = Article.objects.select_related("section", "updated_by")
        panels["my_drafts"] = list(
            articles.filter(
                Q(created_by=user) | Q(updated_by=user), status=Article.Status.DRAFT
            ).order_by("-updated_at")[:SHORT_LIST]
        )
        panels["in_review"] = list(
            articles.filter(status=Article.Status.REVIEW).order_by("-updated_at")[:SHORT_LIST]
        )
        scheduled = articles.filter(
            status=Article.Status.PUBLISHED,
            publish_at__gt=now,
            publish_at__lte=now + timedelta(days=SCHEDULE_DAYS),
        ).order_by("publish_at")[:50]
        panels["scheduled_by_day"] = [
            (day, list(items))
            for day, items in groupby(
                scheduled, key=lambda article: timezone.localtime(article.publish_at).date()
            )
        ]
        panels["recently_published"] = list(
            articles.published(now).order_by("-publish_at", "-id")[:SHORT_LIST]
        )
    if user.has_perm("comments.can_moderate") or user.has_perm("comments.view_comment"):
        pending = list(Comment.objects.pending().select_related("article")[: SHORT_LIST + 1])
        panels["pending_comments"] = pending[:SHORT_LIST]
        panels["more_pending_comments"] = len(pending) > SHORT_LIST
    return panels
