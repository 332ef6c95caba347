"""Content-Security-Policy: nonces for admin forms, enforced policy for previews."""

from functools import wraps

from csp.utils import default_config
from django import forms
from django.conf import settings
from js_asset import Media


def nonced_media(request, media):
    """Return `media` with the request's CSP nonce on its tags (as it is without one).

    The rich-text editor loads its modules through an import map, which is an
    inline <script type="importmap">; with the nonce it runs under a policy
    that allows no other inline script.
    """
    nonce = getattr(request, "csp_nonce", None)  # set by the CSP middleware
    if nonce is None or not isinstance(media, forms.Media):
        return media
    return Media.from_media(media, nonce=str(nonce))


def with_media_nonce(view):
    """Wrap an admin view: the media of the page it answers carry the request's nonce.

    NewsroomAdminSite.admin_view wraps every admin view in it, so any form with a
    rich-text editor works under the enforcing policy, those written later too
    (issue 20 L9: the standing pages' editor was blocked, its import map had none).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        context = getattr(response, "context_data", None)
        # A page's "media" is the admin's forms.Media; other views may use the name
        # for something else (the System page's uploads), left as they are.
        if context and isinstance(context.get("media"), forms.Media) and not response.is_rendered:
            context["media"] = nonced_media(request, context["media"])
        return response

    return wrapped


class MediaNonceMixin:
    """Put the request's CSP nonce on a change form's media (`with_media_nonce` does it
    for every admin page; kept for admins used outside NewsroomAdminSite)."""

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = nonced_media(request, context.get("media"))
        return super().render_change_form(request, context, *args, **kwargs)


def enforce_site_policy(response):
    """Send the reader pages' policy on `response`, enforced, whatever the site's mode.

    For pages that show staff what someone else typed and nobody has published (a
    held change's preview, a draft's): a site trying its policy report-only
    (DJANGO_CSP_REPORT_ONLY) must not let that text run script in a signed-in
    session. The sanitiser is the first defence; this is the second.
    """
    response._csp_config = default_config(settings.SITE_CONTENT_SECURITY_POLICY["DIRECTIVES"])
    response._csp_reader_page = True  # alwaght/security_headers.py adds no desk allowance
    return response


def is_enforced_reader_page(response) -> bool:
    """Return whether `enforce_site_policy` marked `response`."""
    return getattr(response, "_csp_reader_page", False)
