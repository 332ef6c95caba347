from django.conf import settings
from django.utils.translation import gettext

from alwaght.models import FOOTER_PAGES


def site(request):
    """Expose the site's name and tagline (in the edition's language) and footer pages.

    The defaults are translated in the catalogues (settings.py marks them); a name
    an operator sets is shown as set unless the catalogues carry it too. No queries.
    """
    return {
        "FOOTER_PAGES": FOOTER_PAGES,
        "SITE_NAME": gettext(settings.SITE_NAME),
        "SITE_TAGLINE": gettext(settings.SITE_TAGLINE),
        "ARABIC_DIGITS": settings.ALWAGHT_ARABIC_DIGITS,
    }
