import ipaddress
import logging
import re
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments import rate_limit
from comments.models import BlockedTerm, Comment
from comments.signals import comments_moderated
from web.client_ip import sender_network

logger = logging.getLogger(__name__)

# Its members are emailed about waiting comments; its permissions are set up
# with the site's other roles (alwaght/roles.py).
MODERATORS_GROUP = "Moderators"

LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|net|org|info|biz|ru|xyz|top)\b", re.I)


def rate_limit_hit(ip: str) -> int | None:
    """Count a comment attempt from `ip`; return seconds to wait if over the limit."""
    return rate_limit.attempt(sender_network(ip))


def comments_open_for(article: Article) -> bool:
    """Return whether readers may comment: editors' switch, and the article's age."""
    if not article.comments_open:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    return not days or article.publish_at > timezone.now() - timedelta(days=days)


def flag_reason(*, name: str, email: str, text: str, ip: str, sent_too_fast: bool) -> str:
    """Return why a comment looks like spam, or an empty string."""
    if sent_too_fast:
        return "sent faster than a person types"
    name, text = _as_read(name), _as_read(text)
    if len(LINK.findall(text)) > settings.COMMENTS_MAX_LINKS:
        return "too many links"
    for term in BlockedTerm.objects.all():
        if _matches(term, name=name, email=email, text=text, ip=ip):
            return f"blocklist: {term}"[:120]
    return ""


def _matches(term: BlockedTerm, *, name, email, text, ip) -> bool:
    """Return whether `term` matches; `name` and `text` as read (_as_read)."""
    value = term.value.lower()
    if term.kind == BlockedTerm.Kind.WORD:
        value = _as_read(value)
        return value in name or value in text
    if term.kind == BlockedTerm.Kind.EMAIL:
        return bool(email) and (email == value or (value.startswith("@") and email.endswith(value)))
    try:
        return ipaddress.ip_address(ip) in ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False


def _as_read(text: str) -> str:
    """Return `text` lowercased without its format characters: "cas\u200bino" shows as
    "casino", and a blocked word is matched as it reads, not as it is spelled."""
    return "".join(char for char in text if unicodedata.category(char) != "Cf").lower()


@transaction.atomic
def comment_submit(
    *, article: Article, name: str, email: str, text: str, ip: str, sent_too_fast: bool = False
) -> Comment:
    """Store a reader's comment as pending, spam, or approved for known commenters.

    The same text from the same sender within COMMENTS_DUPLICATE_MINUTES is not
    stored twice: the earlier comment is returned instead.
    """
    since = timezone.now() - timedelta(minutes=settings.COMMENTS_DUPLICATE_MINUTES)
    same_sender = {"email": email} if email else {"email": "", "ip_address": ip or None}
    duplicate = Comment.objects.filter(
        article=article, text=text, submitted_at__gte=since, **same_sender
    ).first()
    if duplicate:
        return duplicate

    reason = flag_reason(name=name, email=email, text=text, ip=ip, sent_too_fast=sent_too_fast)
    if reason:
        status = Comment.Status.SPAM
    elif _is_known_commenter(email):
        status = Comment.Status.APPROVED
    else:
        status = Comment.Status.PENDING
    comment = Comment.objects.create(
        article=article,
        name=name,
        email=email,
        text=text,
        ip_address=ip or None,
        status=status,
        flag_reason=reason,
    )
    if status == Comment.Status.PENDING and settings.COMMENTS_NOTIFY_MODERATORS:
        transaction.on_commit(lambda: notify_moderators(comment))
    return comment


def _is_known_commenter(email: str) -> bool:
    return (
        settings.COMMENTS_AUTO_APPROVE_KNOWN
        and bool(email)
        and Comment.objects.filter(email=email, status=Comment.Status.APPROVED).exists()
    )


def notify_moderators(comment: Comment) -> None:
    """Email the moderators that a comment waits (the console backend by default)."""
    recipients = list(
        get_user_model()
        .objects.filter(groups__name=MODERATORS_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    # One line only: a header never carries a reader's line breaks.
    subject = " ".join(f"New comment to moderate: {comment.article.title}".split())[:150]
    body = f"{comment.display_name} wrote on “{comment.article.title}”:\n\n{comment.text}\n"
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # a mail outage must not lose the comment
        logger.exception("Could not notify moderators of comment %s", comment.pk)


def comment_moderate(*, comments, status: str, moderator) -> int:
    """Set the status of `comments` (a queryset) on behalf of `moderator`."""
    changing = comments.exclude(status=status)
    article_ids = set(changing.values_list("article_id", flat=True))
    changed = changing.update(status=status, moderated_at=timezone.now(), moderated_by=moderator)
    if changed:
        comments_moderated.send(sender=Comment, article_ids=article_ids)
    return changed


def commenter_erase(*, email: str) -> int:
    """Delete every comment sent with `email`; return how many."""
    deleted, _ = Comment.objects.filter(email__iexact=email.strip()).delete()
    return deleted


def comment_ips_erase(*, older_than_days: int | None = None) -> int:
    """Forget the IP addresses of comments older than the retention period."""
    days = settings.COMMENTS_IP_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    rate_limit.forget_old()  # the limit's rows name client addresses too
    return Comment.objects.filter(submitted_at__lt=cutoff, ip_address__isnull=False).update(
        ip_address=None
    )
