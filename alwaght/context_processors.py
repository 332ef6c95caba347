from django.conf import settings

from alwaght.models import FOOTER_PAGES


def site(request):
    """Expose the site's name, tagline and footer pages to every template (no queries)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "FOOTER_PAGES": FOOTER_PAGES,
    }
