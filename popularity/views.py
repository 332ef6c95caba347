import base64

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from popularity.models import Period
from popularity.services import (
    article_is_countable,
    article_view_count,
    first_view_in_a_while,
    is_bot,
    most_viewed,
)
from web.client_ip import client_ip

# A 1x1 transparent GIF for the <noscript> image beacon.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@csrf_exempt  # a cookie-less counter: nothing to forge, and cached pages carry no token
@never_cache
@require_http_methods(["GET", "POST"])
def view_beacon(request, pk):
    """Count a reader's view of an article; answer 204 (POST) or a pixel (GET).

    The article page calls it with navigator.sendBeacon, or an <img> without
    JavaScript, so counting keeps working when the page comes from a cache.
    """
    user_agent = request.headers.get("User-Agent", "")
    # Visible articles only, checked before the cache is touched: a script naming
    # made-up ids fills no cache. Then once per reader and article per while.
    if (
        not is_bot(user_agent)
        and article_is_countable(pk)
        and first_view_in_a_while(client_ip(request), pk)
    ):
        article_view_count(article_id=pk)
    if request.method == "POST":
        return HttpResponse(status=204)
    return HttpResponse(PIXEL, content_type="image/gif")


def most_viewed_page(request, period=Period.DAY.value):
    """Render popularity/most_viewed.html: one window's list, with tabs for the others."""
    if period not in Period.values:
        raise Http404("No such period")
    return render(
        request,
        "popularity/most_viewed.html",
        {
            "periods": Period,
            "period": Period(period),
            "articles": most_viewed(request.LANGUAGE_CODE)[period],
        },
    )
