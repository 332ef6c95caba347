from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from alwaght import health, metrics, views
from articles import urls as article_urls
from articles.sitemaps import ArticleSitemap, SectionSitemap, TagSitemap, news_sitemap
from media.sitemaps import FilmSitemap, GallerySitemap, MapSitemap
from popularity.urls import beacon_urlpatterns
from topics.sitemaps import TopicSitemap

SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "topics": TopicSitemap,
    "tags": TagSitemap,
    "galleries": GallerySitemap,
    "films": FilmSitemap,
    "maps": MapSitemap,
}

# The database failing outside a view still gives the 503 page (alwaght/outage.py);
# the 400 and 500 pages speak the edition of the address (alwaght/error_pages.py).
handler400 = "alwaght.error_pages.bad_request"
handler500 = "alwaght.outage.server_error"

# Sitemaps and feeds are kept by the page cache (pagecache/), which refreshes them
# when content changes, rather than by cache_page for a fixed time.
urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("healthz/background", health.background, name="healthz-background"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    # The desk's language switch (set_language); reader pages switch by address.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include((beacon_urlpatterns, "beacon"))),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-news.xml", news_sitemap, name="sitemap-news"),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]

# The front page is composed here but keeps its name, "articles:front", beside
# the article pages it leads to (templates and feeds link to it by that name).
article_patterns = [path("", views.front_page, name="front"), *article_urls.urlpatterns]

# Every reader-facing address carries its edition: /en/, /ar/, /fa/.
urlpatterns += i18n_patterns(
    path("", include((article_patterns, article_urls.app_name))),
    path("in-focus/", include("topics.urls")),
    path("", include("popularity.urls")),
    path("", include("comments.urls")),
    path("", include("media.urls")),
    path(
        "pages/",
        include(([re_path(r"^(?P<slug>[-\w]+)/$", views.standing_page, name="page")], "pages")),
    ),
    prefix_default_language=True,
)

if settings.BENCH_VIEWS:
    urlpatterns += [path("bench/", include(("alwaght.bench_views", "bench")))]

if settings.DEBUG:
    # Development only; in production the web server or object storage serves uploads.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
