from articles.sitemaps import FiledUnderSitemap
from topics.models import Topic


class TopicSitemap(FiledUnderSitemap):
    filed_under_model = Topic
    article_field = "topics"
