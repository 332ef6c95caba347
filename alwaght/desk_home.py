"""The desk's home page: what each member of the newsroom has to look at first."""

from datetime import timedelta
from itertools import groupby

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from alwaght.background import JOB_LABELS, JOBS
from alwaght.job_health import jobs_health
from articles.models import Article, InternalNote, PendingChange
from comments.models import Comment
from publishing.editions import user_editions
from publishing.visibility import may_publish

SHORT_LIST = 8
SCHEDULE_DAYS = 7


def desk_home(user, now=None) -> dict:
    """Return the home page's panels for `user` (only those their permissions allow).

    A fixed number of queries, whatever the archive's size: each list is one sliced
    query, and administrators' warning about stale background jobs one more.
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
        panels.update(_story_panels(user, now))
    if user.has_perm("comments.can_moderate") or user.has_perm("comments.view_comment"):
        pending = list(Comment.objects.pending().select_related("article")[: SHORT_LIST + 1])
        panels["pending_comments"] = pending[:SHORT_LIST]
        panels["more_pending_comments"] = len(pending) > SHORT_LIST
    return panels


def _story_panels(user, now) -> dict:
    """Return the story panels, each one query, for the editions of `user`'s desks.

    My drafts: my new stories and my held changes to live ones not yet submitted.
    Sent back to me: the same, returned by a Chief Editor (a new story is sent back
    while its latest workflow mark in its internal notes says so). Awaiting review:
    submitted new stories and submitted changes to live ones.
    """
    articles = Article.objects.select_related("section", "updated_by")
    changes = PendingChange.objects.select_related("article__section", "submitted_by")
    if not user.is_superuser:  # superusers see every desk
        editions = user_editions(user)
        articles = articles.filter(language__in=editions)
        changes = changes.filter(article__language__in=editions)
    latest_mark = (
        InternalNote.objects.filter(article=OuterRef("pk"))
        .exclude(kind=InternalNote.Kind.NOTE)
        .order_by("-created_at", "-id")
        .values("kind")[:1]
    )
    drafts = articles.filter(status=Article.Status.DRAFT).annotate(
        latest_mark=Subquery(latest_mark)
    )
    sent_back = Q(latest_mark=InternalNote.Kind.SENT_BACK)
    mine = drafts.filter(Q(created_by=user) | Q(updated_by=user))
    scheduled = articles.filter(
        status=Article.Status.PUBLISHED,
        publish_at__gt=now,
        publish_at__lte=now + timedelta(days=SCHEDULE_DAYS),
    ).order_by("publish_at")[:50]
    return {
        # (NULL: no mark; SQL's NOT of a comparison with NULL would drop those.)
        "my_drafts": list(
            mine.filter(Q(latest_mark__isnull=True) | ~sent_back).order_by("-updated_at")[
                :SHORT_LIST
            ]
        ),
        "my_held_drafts": list(
            changes.filter(submitted_by=user, state=PendingChange.State.DRAFT).order_by(
                "-submitted_at"
            )[:SHORT_LIST]
        ),
        # Sent back to whoever wrote it (the Chief Editor who sent it back saved it last).
        "sent_back": list(
            drafts.filter(sent_back, created_by=user).order_by("-updated_at")[:SHORT_LIST]
        ),
        "held_sent_back": list(
            changes.filter(submitted_by=user, state=PendingChange.State.RETURNED)
            .select_related("reviewed_by")
            .order_by("-reviewed_at")[:SHORT_LIST]
        ),
        "in_review": list(
            articles.filter(status=Article.Status.REVIEW).order_by("-updated_at")[:SHORT_LIST]
        ),
        "held_in_review": list(changes.awaiting_review()[:SHORT_LIST]),
        "reviews": may_publish(user),
        "scheduled_by_day": [
            (day, list(items))
            for day, items in groupby(
                scheduled, key=lambda article: timezone.localtime(article.publish_at).date()
            )
        ],
        "recently_published": list(
            articles.published(now).order_by("-publish_at", "-id")[:SHORT_LIST]
        ),
    }
