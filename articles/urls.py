from django.urls import path, re_path

from articles import views
from articles.feeds import AuthorFeed, LatestArticlesFeed, SectionFeed, TagFeed, atom
from web.numbers import IdConverter

ID = IdConverter.regex  # an id that fits a bigint, as <id:pk>

app_name = "articles"

# The front page ("articles:front") is added to this namespace by alwaght/urls.py,
# which composes it from every app.
# Slugs may be in any script, so the Unicode-aware [-\w]+ replaces the ASCII <slug:>.
urlpatterns = [
    path("news/", views.ArchiveView.as_view(), name="archive"),
    path("news/<id:pk>/", views.article_detail, name="detail-no-slug"),
    path("preview/<id:pk>/", views.article_preview, name="preview"),
    # Slugs may keep the ZWNJs of Persian words (articles.models.article_slug).
    re_path(rf"^news/(?P<pk>{ID})/(?P<slug>[-\w\u200c]+)/$", views.article_detail, name="detail"),
    re_path(r"^section/(?P<slug>[-\w]+)/$", views.SectionView.as_view(), name="section"),
    re_path(r"^tags/(?P<slug>[-\w]+)/$", views.TagView.as_view(), name="tag"),
    path("feed/", LatestArticlesFeed(), name="feed"),
    path("feed/atom/", atom(LatestArticlesFeed)(), name="feed-atom"),
    re_path(r"^section/(?P<slug>[-\w]+)/feed/$", SectionFeed(), name="section-feed"),
    re_path(
        r"^section/(?P<slug>[-\w]+)/feed/atom/$", atom(SectionFeed)(), name="section-feed-atom"
    ),
    re_path(r"^tags/(?P<slug>[-\w]+)/feed/$", TagFeed(), name="tag-feed"),
    re_path(r"^tags/(?P<slug>[-\w]+)/feed/atom/$", atom(TagFeed)(), name="tag-feed-atom"),
    path("search/", views.search, name="search"),
    re_path(r"^authors/(?P<slug>[-\w]+)/$", views.AuthorView.as_view(), name="author"),
    re_path(r"^authors/(?P<slug>[-\w]+)/feed/$", AuthorFeed(), name="author-feed"),
    re_path(r"^authors/(?P<slug>[-\w]+)/feed/atom/$", atom(AuthorFeed)(), name="author-feed-atom"),
]
