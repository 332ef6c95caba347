"""The site's own pages, composed from every app: the front page."""

from django.shortcuts import render

from articles.models import Article, EditorsChoice
from popularity.services import most_viewed_tabs
from topics.models import Topic

EDITORS_CHOICE_LIMIT = 7
FRONT_PAGE_NEWS_LIMIT = 8


def front_page(request):
    """Render alwaght/front_page.html: Editor's Choice, then News without repeats."""
    language = request.LANGUAGE_CODE
    editors_choice = list(EditorsChoice.objects.current(language)[:EDITORS_CHOICE_LIMIT])
    chosen_ids = [slot.article_id for slot in editors_choice]
    news = (
        Article.objects.for_listing()
        .in_language(language)
        .exclude(pk__in=chosen_ids)[:FRONT_PAGE_NEWS_LIMIT]
    )
    return render(
        request,
        "alwaght/front_page.html",
        {
            "editors_choice": [slot.article for slot in editors_choice],
            "news": news,
            "in_focus": Topic.objects.in_focus(),
            "most_viewed": most_viewed_tabs(language),
        },
    )
