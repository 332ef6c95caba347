"""Who is an anonymous reader, decided the same way by every layer that asks.

The page cache (pagecache/middleware.py), the CDN's surrogate keys
(cdn/middleware.py) and the replica router (alwaght/replicas.py) each ask whether
a request may come from someone signed in, and whether it shows a reader their
own write. They ask here, from the request's cookies, headers and address only:
opening the session to look at `request.user` would make Django's
SessionMiddleware add `Vary: Cookie` to every reader page, and a page that varies
on Cookie is stored by no cache (with read replicas configured that switched the
page cache off entirely).
"""

from django.conf import settings

# Query parameters that show a reader something of their own (the comment form's
# thank-you): such a page is neither served from nor stored in a shared cache,
# and reads the primary, which has the write.
JUST_WROTE = frozenset({("comment", "sent")})


def may_be_signed_in(request) -> bool:
    """Return whether the request may come from someone signed in (session cookie or
    credentials), without opening the session."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META


def just_wrote(request) -> bool:
    """Return whether the address shows the reader their own write (`?comment=sent`)."""
    return any(request.GET.get(name) == value for name, value in JUST_WROTE)
