"""Content-Security-Policy nonces for admin forms that need an inline script."""

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
