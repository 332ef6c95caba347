"""Numbers read from addresses and forms: ids, page numbers, cursors.

`str.isdigit()` is true for "²" and "①", which `int()` refuses: `?page=²` answered
500 on every list page and on search. An id past PostgreSQL's bigint reached it as
text in a prepared statement (`/en/news/99999999999999999999/x/`) and answered 500
as well. Both are a typo or a probe, and name nothing: the caller answers as for
any other number that names nothing (404, or "not found" in a form).
"""

import re

# Eighteen digits always fit a bigint, whose largest is 9,223,372,036,854,775,807.
ID_DIGITS = 18
_NUMBER = re.compile(rf"[0-9]{{1,{ID_DIGITS}}}")


def parse_number(raw, *, most: int = 10**ID_DIGITS - 1) -> int | None:
    """Return `raw` as an int from 1 to `most` when it is ASCII digits, else None."""
    if not isinstance(raw, str) or not _NUMBER.fullmatch(raw):
        return None
    number = int(raw)
    return number if 1 <= number <= most else None


class IdConverter:
    """`<id:pk>` in an address: a row's id, ASCII digits that fit a bigint.

    Registered by web/apps.py. Django's `<int:>` takes any number of digits, which
    the ORM bounds but a prepared statement or raw SQL passes on to PostgreSQL.
    """

    regex = f"[0-9]{{1,{ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)
