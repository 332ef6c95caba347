"""Articles and sections as lists show them: a query's columns, not model instances.

A list of headlines (search results, the article page's previous and next, Related
Content, More in the section) shows a few columns of each article and its section.
Making Article and Section instances of the rows cost more than reading them (twenty
search results: 0.2 ms; the article page's lists, with every column of each row: a
third of their CPU), so those queries' rows become these instead.
"""

from dataclasses import dataclass
from datetime import datetime

from articles.urling import article_url, section_url


@dataclass(slots=True)
class LinkedSection:
    """A section as a list links it."""

    pk: int
    language: str
    name: str
    slug: str

    def get_absolute_url(self) -> str:
        return section_url(self.language, self.slug)


@dataclass(slots=True)
class Headline:
    """An article as a list shows it (`headline_list`, the pager, search result cards)."""

    pk: int
    language: str
    slug: str
    title: str
    publish_at: datetime
    section: LinkedSection

    def get_absolute_url(self) -> str:
        return article_url(self.language, self.pk, self.slug)
