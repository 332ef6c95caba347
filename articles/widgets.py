from django.urls import reverse_lazy
from taggit.forms import TagWidget


class TagSuggestWidget(TagWidget):
    """The comma-separated tag box, with suggestions of existing tags as editors type.

    A native <datalist> filled by admin_desk/tag_suggest.js: no extra library,
    works with keyboard and screen readers, and degrades to the plain text box.
    """

    template_name = "admin_desk/tag_suggest_widget.html"

    class Media:
        js = ["admin_desk/tag_suggest.js"]

    def get_context(self, name, value, attrs):
        attrs = {
            **(attrs or {}),
            "autocomplete": "off",
            "data-tag-suggest": reverse_lazy("admin:articles_article_tag_suggestions"),
        }
        return super().get_context(name, value, attrs)
