from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from comments.forms import CommentForm, form_token
from comments.models import Comment
from comments.services import comments_open_for
from web.fragments import cached_fragment
from web.prepared import PreparedQuery
from web.readers import just_wrote
from web.scopes import comments_scope

register = template.Library()

# Stands in for the form's token in the blank form rendered once (see below).
TOKEN_PLACEHOLDER = "token-of-this-reader"  # noqa: S105 - a placeholder, not a secret
ACTION_PLACEHOLDER = "address-of-this-article"

# An article's first view asks for its comments (usually none): built by the ORM
# each time, that cost 1.2 of the comment section's 1.7 ms (web/prepared.py).
_APPROVED = PreparedQuery(
    lambda article: Comment.objects.filter(article_id=article).approved(), article=int
)


def _rendered(comments) -> dict:
    return {
        "heading": render_to_string("comments/heading.html", {"comments": comments}),
        "list": render_to_string("comments/list.html", {"comments": comments}),
    }


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, article):
    """Render an article's approved comments, their count, and the form.

    The count and the list are the same for every reader: rendered once per
    change of the article's approved comments (one query then; the scope
    "comments:<pk>" is bumped when a comment is approved or taken down,
    pagecache/invalidation.py). The form is a fresh one (its token is the reader's
    own), or the reader's own with `comment_error` when comments/views.py
    re-renders the page through `article_page_response()` with `comment_form`
    in its extra context.
    """
    request = context["request"]

    def render():
        comments = _APPROVED(article=article.pk)
        if not comments:
            # Most articles have none, and "0 comments" is the same for each of them:
            # rendered once per edition, as a first view rendered it for every article.
            return cached_fragment("no-comments", [], [], lambda: _rendered([]))
        return _rendered(comments)

    shown = cached_fragment("comments", [article.pk], [comments_scope(article.pk)], render)
    shown = {part: mark_safe(html) for part, html in shown.items()}  # noqa: S308 - ours
    is_open = comments_open_for(article)
    form = context.get("comment_form")
    blank_form = None
    if is_open and form is None:
        # The same blank form for every article of the edition: only its address and
        # token are the article's, written into the copy rendered once.
        blank_form = cached_fragment("comment-form", [], [], lambda: _blank_form(article))
        token = f'value="{form_token(article.pk)}"'  # URL-safe base64 and colons: nothing to escape
        action = f'action="{reverse("comments:post", args=[article.pk])}#comments"'
        blank_form = blank_form.replace(f'action="{ACTION_PLACEHOLDER}#comments"', action, 1)
        blank_form = mark_safe(blank_form.replace(f'value="{TOKEN_PLACEHOLDER}"', token, 1))  # noqa: S308
    return {
        "article": article,
        "shown": shown,
        "is_open": is_open,
        "form": form,
        "blank_form": blank_form,
        "error": context.get("comment_error"),
        "just_sent": just_wrote(request),
        "request": request,
    }


def _blank_form(article) -> str:
    """Return comments/form.html for a blank form, with placeholders for its address and
    token (ACTION_PLACEHOLDER, TOKEN_PLACEHOLDER)."""
    form = CommentForm(article=article)
    form.fields["token"].initial = TOKEN_PLACEHOLDER
    context = {"form": form, "article": article, "action": ACTION_PLACEHOLDER}
    return render_to_string("comments/form.html", context)
