from articles.feeds import FiledUnderFeed
from articles.models import Topic


class TopicFeed(FiledUnderFeed):
    """The newest articles filed under one In Focus topic."""

    filed_under_model = Topic
    article_field = "topics"
    listed = True

    def link(self, obj=None):
        return obj.get_absolute_url()
