from articles.models import Topic
from articles.sitemaps import FiledUnderSitemap


class TopicSitemap(FiledUnderSitemap):
    filed_under_model = Topic
    article_field = "topics"
