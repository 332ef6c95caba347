"""The article core's admin, one module a screen; importing the package registers them all."""

from articles.admin.articles import ArticleAdmin
from articles.admin.curation import EditorsChoiceAdmin
from articles.admin.filing import ArticleCountMixin, AuthorAdmin, SectionAdmin
from articles.admin.review import PendingChangeAdmin
from articles.admin.tags import TagAdmin

__all__ = [
    "ArticleAdmin",
    "ArticleCountMixin",
    "AuthorAdmin",
    "EditorsChoiceAdmin",
    "PendingChangeAdmin",
    "SectionAdmin",
    "TagAdmin",
]
