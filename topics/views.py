from django.views.generic import ListView

from articles.listing import FiledUnderView
from articles.models import Topic
from web.scopes import CHROME, TOPICS


class TopicIndexView(ListView):
    """Render topics/index.html: every In Focus topic with its short description."""

    template_name = "topics/index.html"
    context_object_name = "topics"

    def get_queryset(self):
        return Topic.objects.in_language(self.request.LANGUAGE_CODE)


class TopicView(FiledUnderView):
    """Render topics/detail.html: the topic's body and its articles, newest first."""

    template_name = "topics/detail.html"
    filed_under_model = Topic
    article_field = "topics"
    context_name = "topic"
    listed = True
    counterpart_scopes = [CHROME, TOPICS]

    def get_filed_under_queryset(self):
        return Topic.objects.select_related("photo")
