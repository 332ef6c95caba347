from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from popularity.urls import beacon_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include((beacon_urlpatterns, "beacon"))),
]

# Every reader-facing address carries its edition: /en/ now, /ar/ and /fa/ later.
urlpatterns += i18n_patterns(
    path("", include("articles.urls")),
    path("in-focus/", include("topics.urls")),
    path("", include("popularity.urls")),
    path("", include("comments.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    # Development only; in production the web server or object storage serves uploads.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
