from django.shortcuts import get_object_or_404, render

from media.models import Film, Map, PhotoGallery

INDEX_LIMIT = 24


def gallery_index(request, kind="photos"):
    """Render media/index.html: photo galleries or films, as two tabs (plain links)."""
    if kind == "films":
        items = (
            Film.objects.published()
            .in_language(request.LANGUAGE_CODE)
            .select_related("poster")[:INDEX_LIMIT]
        )
    else:
        items = (
            PhotoGallery.objects.published()
            .in_language(request.LANGUAGE_CODE)
            .with_photos()[:INDEX_LIMIT]
        )
    return render(request, "media/index.html", {"kind": kind, "items": items})


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
    """Render media/maps.html: one map (the newest by default) and the older ones by date."""
    maps = Map.objects.published().in_language(request.LANGUAGE_CODE).select_related("photo")
    current = get_object_or_404(maps, slug=slug) if slug else maps.first()
    others = maps.exclude(pk=current.pk)[:30] if current else []
    return render(request, "media/maps.html", {"map": current, "others": others})
