from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.sanitize import sanitize_html

# The footer links to these pages of each edition by slug, so it costs no query.
FOOTER_PAGES = [
    ("about", _("About")),
    ("contact", _("Contact")),
    ("privacy", _("Privacy")),
    ("terms", _("Terms")),
]


class Page(models.Model):
    """A standing page of one edition (About, Contact, Privacy, Terms), edited in the admin."""

    language = models.CharField(
        _("edition"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        allow_unicode=True,
        help_text=_("The footer links to about, contact, privacy and terms."),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), help_text=_("Cleaned of scripts and unsafe markup on save."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["language", "slug"]
        verbose_name = _("site page")
        verbose_name_plural = _("site pages (About, Privacy…)")
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="unique_page_per_edition")
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.utils.translation import override

        with override(self.language):
            return reverse("pages:page", kwargs={"slug": self.slug})
