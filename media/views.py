from django.db.models import Q
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render

from media.models import Film, Map, PhotoGallery
from web.pagination import PageMoved, paginate

INDEX_LIMIT = 24
EARLIER_MAPS = 30


def _paged(request, queryset, per_page: int, name: str):
    """Return (the context of the page of `queryset` asked for, None), or (None, the
    redirect to where it lives now): web/pagination.py's pages, numbered near the top,
    then by item. Context: `name` (the page's items), `page_obj`, `is_paginated`."""
    try:
        page = paginate(queryset, request.GET, per_page)
    except PageMoved as moved:
        query = f"?{moved.query}" if moved.query else ""
        return None, HttpResponsePermanentRedirect(request.path + query)
    return {name: page.object_list, "page_obj": page, "is_paginated": page.has_other_pages}, None


def gallery_index(request, kind="photos"):
    """Render media/index.html: photo galleries or films, as two tabs (plain links), a
    page at a time: every one stays reachable, however many there are."""
    if kind == "films":
        items = Film.objects.published().in_language(request.LANGUAGE_CODE).select_related("poster")
    else:
        items = PhotoGallery.objects.published().in_language(request.LANGUAGE_CODE).with_photos()
    context, moved = _paged(request, items.order_by("-publish_at", "-pk"), INDEX_LIMIT, "items")
    return moved or render(request, "media/index.html", {"kind": kind, **context})


def gallery_detail(request, slug):
    """Render media/gallery.html: the photos in order, each opening large."""
    gallery = get_object_or_404(
        PhotoGallery.objects.published().in_language(request.LANGUAGE_CODE).with_photos(), slug=slug
    )
    return render(request, "media/gallery.html", {"gallery": gallery})


def film_detail(request, slug):
    """Render media/film.html: the video file, or the allow-listed embed.

    An embed loads only after the reader asks for it (?play=1): until then the
    page makes no request to the video host.
    """
    film = get_object_or_404(
        Film.objects.published().in_language(request.LANGUAGE_CODE).select_related("poster"),
        slug=slug,
    )
    playing = request.GET.get("play") == "1"
    return render(request, "media/film.html", {"film": film, "playing": playing})


def map_page(request, slug=None):
    """Render media/maps.html: one map (the newest by default) and the maps earlier than
    it, a page at a time, so the whole dated series stays browsable."""
    maps = (
        Map.objects.published()
        .in_language(request.LANGUAGE_CODE)
        .select_related("photo")
        .order_by("-publish_at", "-pk")
    )
    current = get_object_or_404(maps, slug=slug) if slug else maps.first()
    if current is None:
        return render(request, "media/maps.html", {"map": None, "others": []})
    earlier = maps.filter(publish_at__lte=current.publish_at).filter(
        Q(publish_at__lt=current.publish_at) | Q(pk__lt=current.pk)
    )
    context, moved = _paged(request, earlier, EARLIER_MAPS, "others")
    return moved or render(request, "media/maps.html", {"map": current, **context})
