"""The article core's models, one module a subject; import them from here.

filing: sections, authors, tag links, In Focus topics. article: the article, its
notes and Related Content. entries: tag and topic lists, and the search's entries, kept by triggers.
vocabulary: every word the search vectors hold, kept by a trigger. desk:
takedowns, held changes, internal notes, edit locks, autosaves. curation: Editor's Choice.
"""

from articles.models.article import (
    LISTING_DEFERRED,
    REVISION_FOLLOWS,
    Article,
    ArticleNote,
    ArticleQuerySet,
    RelatedArticle,
    RelatedList,
)
from articles.models.curation import EditorsChoice, EditorsChoiceQuerySet
from articles.models.desk import (
    Autosave,
    EditLock,
    InternalNote,
    PendingChange,
    PendingChangeQuerySet,
    Takedown,
)
from articles.models.entries import ListEntry, SearchEntry, TagEntry, TopicEntry
from articles.models.filing import (
    Author,
    Section,
    SectionQuerySet,
    TaggedArticle,
    Topic,
    TopicQuerySet,
)
from articles.models.vocabulary import SearchWord
from articles.urling import FALLBACK_SLUG, unicode_slug

__all__ = [
    "FALLBACK_SLUG",
    "LISTING_DEFERRED",
    "REVISION_FOLLOWS",
    "Article",
    "ArticleNote",
    "ArticleQuerySet",
    "Author",
    "Autosave",
    "EditLock",
    "EditorsChoice",
    "EditorsChoiceQuerySet",
    "InternalNote",
    "ListEntry",
    "PendingChange",
    "PendingChangeQuerySet",
    "RelatedArticle",
    "RelatedList",
    "SearchEntry",
    "SearchWord",
    "Section",
    "SectionQuerySet",
    "TagEntry",
    "TaggedArticle",
    "Takedown",
    "Topic",
    "TopicEntry",
    "TopicQuerySet",
    "unicode_slug",
]
