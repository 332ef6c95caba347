"""Every model with text columns decides whether its text is cleaned on save.

Cleaning used to be switched on by a list of apps, which missed the standing pages
when they arrived. Each model now declares it (web.text.cleaned_on_save); a new
model with text columns fails here until it either declares it or is named below.
"""

from django.apps import apps

from web.text import cleaned_models, text_fields

OUR_APPS = {"alwaght", "articles", "comments", "media", "popularity", "publishing", "topics", "web"}

# Text no reader or member of staff reads as prose: codes, tokens, machine states.
NOT_SHOWN = {
    "articles.EditLock",  # a random token
    "articles.TagEntry",  # copies of an article's edition and status
    "articles.EditorsChoice",  # a copy of its article's edition code
    "articles.TopicEntry",
    "articles.SearchEntry",  # copies of an article's edition, status and search vector
    "articles.SearchWord",  # the search vectors' lexemes, written by a trigger
    "popularity.MostViewedList",  # an edition code and a period name
    "comments.BlockedTerm",  # the moderators' own blocklist, never shown to readers
    "comments.SendingAllowance",  # a hashed client address
    "alwaght.JobStatus",  # a job's name and outcome, written by our code
}


def test_every_model_with_text_declares_whether_it_is_cleaned():
    undecided = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and text_fields(model)
        and model not in cleaned_models()
        and model._meta.label not in NOT_SHOWN
    ]

    assert undecided == []


def test_other_packages_models_that_we_show_are_cleaned_too():
    labels = {model._meta.label for model in cleaned_models()}

    assert {"taggit.Tag", "auth.User", "alwaght.Page", "articles.Article"} <= labels
    assert not labels & NOT_SHOWN
