"""Only GET and HEAD reach reader views, and POST only where a form posts.

Function views answer whatever method they are sent: TRACE or OPTIONS on an
article rendered the whole page. One rule for every URL, kept here rather than
as a decorator on each view, feed and sitemap so that views added later follow
it too: anything else is answered 405 with an Allow header.
"""

from django.http import HttpResponseNotAllowed

READ = ("GET", "HEAD")
# Views that receive a form or a beacon; the desk (admin) posts everywhere, and its
# language switch posts to Django's set_language.
POST_VIEWS = {"comments:post", "beacon:view-beacon", "set_language"}


class AllowedMethodsMiddleware:
    """Answer 405 to methods a view does not take (see module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in READ:
            return None
        match = request.resolver_match
        takes_post = match.view_name in POST_VIEWS or "admin" in match.namespaces
        if request.method == "POST" and takes_post:
            return None
        return HttpResponseNotAllowed([*READ, "POST"] if takes_post else READ)
