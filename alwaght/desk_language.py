"""The desk speaks its desk's language: a Persian-desk Editor gets the Persian desk.

Reader pages take their language from the address (/fa/...); the desk (/admin/) has
one address for everyone, so LocaleMiddleware gives it the language switch's choice
(its cookie) or else the browser's Accept-Language. A newsroom's browsers are often
set to English whatever desk their people sit at, so, unless someone chose with the
switch, the desk speaks the language of the person's own desk: the browser's when it
is one of theirs (someone on two desks), else their first desk's. People on no desk
(moderators) and superusers (every desk) keep the browser's.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from publishing.editions import user_editions


def desk_language(user, browser_language: str) -> str:
    """Return the language the desk speaks to `user` whose browser asks `browser_language`."""
    if not getattr(user, "is_staff", False) or user.is_superuser:
        return browser_language
    desks = user_editions(user)
    if not desks or browser_language in desks:
        return browser_language
    return desks[0]


class DeskLanguageMiddleware:
    """Activate the person's desk language on the desk's pages (see the module docstring).

    After AuthenticationMiddleware (it needs the user) and LocaleMiddleware, which it
    overrides only where nobody chose with the switch.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(reverse("admin:index")) and (
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            language = desk_language(request.user, translation.get_language())
            if language != translation.get_language():
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
