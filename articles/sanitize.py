"""The allow-list for editor-written HTML.

Bodies are cleaned when saved and rendered as stored, so the cost is paid once
per edit, not once per page view. nh3 (the ammonia crate) drops every tag and
attribute not listed here, including all event handlers, `style` and `javascript:`
URLs.
"""

from html.parser import HTMLParser

import nh3

from media.uploads import upload_name
from web.text import clean_text

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "cite",
    "q",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "small",
    "mark",
    "ul",
    "ol",
    "li",
    "a",
    "figure",
    "figcaption",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "data-file"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "type", "data-type"},  # as the rich-text editor writes them
}
# Figures from the editor's photo-library picker carry class="figure".
ALLOWED_CLASSES = {"figure": {"figure"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def _only_our_images(tag: str, attribute: str, value: str) -> str | None:
    """Keep image sources from our own uploads (the photo library) only.

    Hot-linked images leak readers to other servers and can change under us.
    """
    if tag == "img" and attribute == "src" and not is_own_upload(value):
        return None
    return value


def is_own_upload(url: str) -> bool:
    """Return whether `url` names a file under MEDIA_URL, as a browser would resolve it."""
    return upload_name(url) is not None


def sanitize_html(html: str) -> str:
    """Return `html` with everything outside the allow-list removed."""
    return nh3.clean(
        clean_text(html),  # nh3 cannot take lone surrogates; feeds cannot take controls
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_only_our_images,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


class _ImagesWithoutAlt(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag != "img":
            return
        values = dict(attrs)
        # An <img> whose src the allow-list dropped (another site's) shows readers nothing.
        if values.get("src") and not (values.get("alt") or "").strip():
            self.found.append((values.get("src") or "", values.get("data-file") or ""))

    handle_startendtag = handle_starttag


def images_without_alt_text(html: str) -> list[tuple[str, str]]:
    """Return (src, data-file) of each <img> with a src in `html` whose alt is missing or blank.

    Readers who cannot see an image get its alt text; the editor's figure dialog
    lets the box be emptied, so the article's paths ask this before saving or
    publishing a body (articles/services.py `body_images_problem`).
    """
    if "<img" not in html:
        return []
    parser = _ImagesWithoutAlt()
    parser.feed(html)
    parser.close()
    return parser.found
