from dataclasses import replace

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_prose_editor.fields import ProseEditorFormField

from articles.conflicts import MINE, THEIRS, find_conflicts, theirs_value
from articles.counterparts import counterpart_link_problem, counterpart_move_problem
from articles.models import Article, EditorsChoice
from articles.review import linking_from
from articles.revisions import EDITORIAL_FIELDS
from articles.services import body_images_problem, main_image_problem, social_image_problem
from publishing.desk_rules import allows
from publishing.edition_guard import EditionLinksCheckedFormMixin
from publishing.visibility import VisibilityCheckedFormMixin, stored_values
from web.people import person_name

# The rich-text editor offers a subset of what articles/sanitize.py keeps: the
# sanitiser also keeps markup editors paste or older bodies carry (tables, h4,
# code, sub/sup...). tests/desk/test_desk.py checks the subset holds.
BODY_EDITOR = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Heading": {"levels": [2, 3]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HardBreak": True,
        "HorizontalRule": True,
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
        # Images come from the photo library, through its picker.
        "Figure": {"pickerUrl": reverse_lazy("admin:media_photo_picker")},
        "Image": {"pickerUrl": reverse_lazy("admin:media_photo_picker")},
        "Caption": True,
    }
}


class ArticleAdminForm(EditionLinksCheckedFormMixin, VisibilityCheckedFormMixin, forms.ModelForm):
    """The article form: rich-text body, publishing rules, and no silent overwrite."""

    # Labels are lazy: the class is built at import, before any desk's language is
    # active; gettext here would fix them in English (tests/desk/test_desk_language.py).

    body = ProseEditorFormField(config=BODY_EDITOR, label=gettext_lazy("Body"))
    # When this editor opened the article: a save on top of someone else's newer
    # save is stopped and shown, with both versions kept.
    loaded_at = forms.CharField(
        widget=forms.HiddenInput, required=False, label=gettext_lazy("Loaded at")
    )
    # Taking a published article down is recorded with its reason (readers get 410).
    takedown_reason = forms.CharField(
        label=gettext_lazy("Reason for taking it down"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text=gettext_lazy(
            "Required when a published article is unpublished; kept on the desk."
        ),
    )
    # The saved version whose fields this editor was shown beside their own after a
    # conflict: their choices (resolve-<field>: theirs/mine) answer that version only.
    conflict_seen_at = forms.CharField(
        widget=forms.HiddenInput, required=False, label=gettext_lazy("Conflict seen at")
    )
    # Not a column: saving links the two (articles/counterparts.py).
    counterpart = forms.ModelChoiceField(
        queryset=Article.objects.all(),
        required=False,
        label=gettext_lazy("Counterpart in another edition"),
        help_text=gettext_lazy(
            "The same story in another edition: readers can switch between them, "
            "and search engines are told they are versions of each other."
        ),
    )

    class Meta:
        model = Article
        fields = [*EDITORIAL_FIELDS, "tags"]
        # data-count: how many characters show in full; the page counts as editors type.
        widgets = {
            "seo_title": forms.TextInput(attrs={"data-count": "60", "class": "vTextField"}),
            "meta_description": forms.Textarea(attrs={"data-count": "155", "rows": 3}),
            "lead": forms.Textarea(attrs={"data-count": "300", "rows": 3, "cols": 80}),
        }

    holds_reviewed_fields = True  # an Editor's edit of a live story waits for review
    user = None  # set by ArticleAdmin.get_form
    conflicts = ()  # set when another save is found, for the change form to show

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_at"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        # Publishing rights are checked on the instance as it would be saved, against
        # the stored row (VisibilityCheckedFormMixin, publishing/visibility.py).
        cleaned = super().clean()
        # First: keeping "their" version of a field changes what the others judge.
        self._check_nobody_saved_since_loading(cleaned)
        self._check_takedown_reason(cleaned)
        # Every image readers get from the article has alt text (articles/services.py).
        for name, problem_of in (
            ("photo", main_image_problem),
            ("social_photo", social_image_problem),
            ("body", body_images_problem),
        ):
            problem = problem_of(cleaned.get(name)) if cleaned.get(name) else None
            if problem:
                self.add_error(name, problem)
        language = cleaned.get("language")
        problem = language and (
            counterpart_move_problem(self.instance, language) or self._slot_move_problem(language)
        )
        if problem:
            self.add_error("language", problem)
        counterpart = cleaned.get("counterpart")
        if counterpart:
            held = getattr(self.instance, "held_change", None)  # an unlink it holds comes first
            problem = counterpart_link_problem(
                article=linking_from(self.instance, held.data) if held else self.instance,
                counterpart=counterpart,
                user=self.user,
                language=cleaned.get("language") or self.instance.language,
            )
            if problem:
                self.add_error("counterpart", problem)
        return cleaned

    def _slot_move_problem(self, language: str) -> str | None:
        """Return why this user may not move the story: its Editor's Choice slot would follow
        it into the other edition's list, which only a Chief Editor curates."""
        if self.instance.pk is None or language == self.instance.language:
            return None
        slot = EditorsChoice.objects.filter(article=self.instance).first()
        if slot is None or allows(self.user, "articles.editorschoice", "change", slot):
            return None
        return _(
            "This story is in Editor's Choice: only a Chief Editor moves it to another "
            "edition, where its slot follows it."
        )

    takes_down = False  # whether saving unpublishes a published article

    def _check_takedown_reason(self, cleaned):
        # Unpublishing, and ending it now ("unpublish at" in the past), both take it down.
        before = stored_values(Article, self.instance.pk) if self.instance.pk else None
        after = {name: cleaned.get(name, before[name]) for name in before} if before else None
        now = timezone.now()
        self.takes_down = bool(before and _live(before, now) and not _live(after, now))
        if self.takes_down and not cleaned.get("takedown_reason", "").strip():
            self.add_error("takedown_reason", _("Say why this published article is taken down."))

    def _check_nobody_saved_since_loading(self, cleaned):
        """Stop a save on top of a newer one until the editor picks, per field, a version."""
        loaded_at = cleaned.get("loaded_at")
        if not self.instance.pk or not loaded_at:
            return
        current = Article.objects.select_related("updated_by").get(pk=self.instance.pk)
        if current.updated_at.isoformat() == loaded_at:
            return
        conflicts = find_conflicts(current, loaded_at, cleaned)
        if not conflicts:
            return  # saved since, but nothing this form would undo
        seen = cleaned.get("conflict_seen_at") == current.updated_at.isoformat()
        choices = {c.name: self.data.get(c.choice_name) for c in conflicts}
        if seen and all(choice in (THEIRS, MINE) for choice in choices.values()):
            for name, choice in choices.items():
                if choice == THEIRS:
                    cleaned[name] = theirs_value(current, name)
            return
        self.conflicts = [replace(c, chosen=choices[c.name] or "") for c in conflicts]
        # The next press of Save answers this version; a newer save asks again.
        self.data = self.data.copy()
        self.data[self.add_prefix("conflict_seen_at")] = current.updated_at.isoformat()
        who = person_name(current.updated_by) or _("someone")
        message = _(
            "%(who)s saved this article after you opened it (at %(when)s), changing: "
            "%(fields)s. Nothing is saved yet. For each, choose below which version to "
            "keep, theirs or yours, then press Save again."
        )
        if seen:
            message = _("Choose theirs or yours for every field below: %(fields)s.")
        raise forms.ValidationError(
            message
            % {
                "who": who,
                "when": timezone.localtime(current.updated_at).strftime("%H:%M:%S"),
                "fields": ", ".join(conflict.label for conflict in conflicts),
            },
            code="conflict",
        )


def _live(values: dict, now) -> bool:
    """Return whether an article with these publishing `values` is on the site at `now`."""
    start, end = values.get("publish_at"), values.get("unpublish_at")
    return (
        values.get("status") == Article.Status.PUBLISHED
        and (start is None or start <= now)
        and (end is None or end > now)
    )
