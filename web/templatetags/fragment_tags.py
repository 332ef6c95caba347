"""`{% fragment %}`: part of a template rendered once and shared (see web/fragments.py).

    {% fragment "main" article.pk scopes="ed:en,media" until=next_change off=preview %}
      ...
    {% endfragment %}

The name and the positional values identify the fragment; `scopes` (a list of
scope names, or one string of them separated by commas) says whose changes make
it stale; `until` (a datetime, or a callable returning one, evaluated only when
the fragment is rendered) ends it at the next scheduled change; `off` renders it
afresh without reading or storing.
The page's scheme and host are part of the key when the context has the request
(fragments may hold absolute addresses). A tag rendered later in the same page
may read what a fragment shows (`rendered_fragment()`), rendered now or read.
"""

from django import template
from django.utils.safestring import mark_safe

from web.fragments import cached_fragment

register = template.Library()

RENDERED = "fragments shown"  # in the page's render context: HTML by fragment name


def rendered_fragment(context, name: str) -> str | None:
    """Return the HTML of fragment `name` as this page shows it, if rendered before here."""
    return context.render_context.get(RENDERED, {}).get(name)


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, parts, options):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts
        self.options = options

    def render(self, context):
        def option(name, default=None):
            value = self.options.get(name)
            return default if value is None else value.resolve(context)

        parts = [part.resolve(context) for part in self.parts]
        request = context.get("request")
        if request is not None:
            parts += [request.scheme, request.get_host()]

        def until():
            value = option("until")  # a name the context lacks resolves to ""
            return (value() if callable(value) else value) or None

        scopes = option("scopes", ())
        if isinstance(scopes, str):
            scopes = [scope for scope in scopes.split(",") if scope]
        name = self.name.resolve(context)
        html = cached_fragment(
            name,
            parts,
            scopes,
            lambda: self.nodelist.render(context),
            until=until,
            off=bool(option("off", False)),
        )
        context.render_context.setdefault(RENDERED, {})[name] = html
        return mark_safe(html)  # noqa: S308 - our own template rendered it, escaping as usual


@register.tag
def fragment(parser, token):
    """Cache the enclosed template output until its scopes change (web/fragments.py)."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    name, *rest = bits
    parts, options = [], {}
    for bit in rest:
        key, equals, value = bit.partition("=")
        if equals and key in ("scopes", "until", "off"):
            options[key] = parser.compile_filter(value)
        else:
            parts.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(name), parts, options)
