from django import template

from articles.models import Section

register = template.Library()


@register.inclusion_tag("includes/section_nav.html", takes_context=True)
def section_nav(context):
    """Render the masthead's section links, marking the section being read."""
    current = context.get("section") or getattr(context.get("article"), "section", None)
    return {"sections": Section.objects.all(), "current": current}
