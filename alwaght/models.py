from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.sanitize import sanitize_html
from media.photos_in_text import PhotosInTextField
from publishing.editions import edition_field
from web.text import cleaned_on_save

# The footer links to these pages of each edition by slug, so it costs no query.
FOOTER_PAGES = [
    ("about", _("About")),
    ("contact", _("Contact")),
    ("privacy", _("Privacy")),
    ("terms", _("Terms")),
]


@cleaned_on_save
class Page(models.Model):
    """A standing page of one edition (About, Contact, Privacy, Terms), edited in the admin."""

    language = edition_field(db_index=False)  # the unique (language, slug) index serves
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        allow_unicode=True,
        help_text=_("The footer links to about, contact, privacy and terms."),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), help_text=_("Cleaned of scripts and unsafe markup on save."))
    body_photos = PhotosInTextField(text="body")  # what the body shows (publishing/sharing.py)
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


class JobStatus(models.Model):
    """The last run of one background job (alwaght/background.py), one row per job.

    Kept in the database, not the cache, so a cache flush or a Redis restart does not
    make a stopped worker look healthy or a healthy one look stopped. Written by the
    worker after each job it ran (a job skipped because another worker holds its lock
    is that worker's to record); read by /healthz/background, the desk's home, the
    System page and the metrics (alwaght/job_health.py).
    """

    class Status(models.TextChoices):
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    name = models.CharField(_("job"), max_length=40, primary_key=True)
    every_seconds = models.PositiveIntegerField(
        _("scheduled every (seconds)"),
        help_text=_("The schedule the worker said it runs on (run_background --every)."),
    )
    started_at = models.DateTimeField(_("last started"))
    status = models.CharField(_("last outcome"), max_length=10, choices=Status.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    seconds = models.FloatField(_("duration (seconds)"))
    succeeded_at = models.DateTimeField(_("last success"), null=True, blank=True)
    failures_in_a_row = models.PositiveIntegerField(_("failures in a row"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("background job status")
        verbose_name_plural = _("background job statuses")

    def __str__(self):
        return self.name
