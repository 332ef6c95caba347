"""Content-Security-Policy: nonces for admin forms, enforced policy for previews."""

from csp.utils import default_config
from django.conf import settings
from js_asset import Media


class MediaNonceMixin:
    """Put the request's CSP nonce on the tags of a change form's media.

    The rich-text editor loads its modules through an import map, which is an
    inline <script type="importmap">; with the nonce it runs under a policy
    that allows no other inline script.
    """

    def render_change_form(self, request, context, *args, **kwargs):
        nonce = getattr(request, "csp_nonce", None)  # set by the CSP middleware
        if nonce is not None and context.get("media") is not None:
            context["media"] = Media.from_media(context["media"], nonce=str(nonce))
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
