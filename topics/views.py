from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.views import ArticleListView
from topics.models import Topic


class TopicIndexView(ListView):
    """Render topics/index.html: every In Focus topic with its short description."""

    model = Topic
    template_name = "topics/index.html"
    context_object_name = "topics"


class TopicView(ArticleListView):
    """Render topics/detail.html: the topic's body and its articles, newest first."""

    template_name = "topics/detail.html"

    def get(self, request, *args, **kwargs):
        self.topic = get_object_or_404(Topic, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(topics=self.topic)

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)
