from django import template

from comments.forms import CommentForm
from comments.services import comments_open_for

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, article):
    """Render an article's approved comments, their count, and the form (one query).

    The form is a fresh one, or the reader's own with `comment_error` when
    comments/views.py re-renders the page through `article_page_response()`
    with `comment_form` in its extra context.
    """
    comments = list(article.comments.approved())
    request = context["request"]
    return {
        "article": article,
        "comments": comments,
        "is_open": comments_open_for(article),
        "form": context.get("comment_form") or CommentForm(article=article),
        "error": context.get("comment_error"),
        "just_sent": request.GET.get("comment") == "sent",
        "request": request,
    }
