"""Names and titles set apart in their own direction inside text written in another.

A Latin photo name in a Persian sentence, or a Persian title in an English one, is
reordered with the quotes, brackets and commas around it unless it is isolated:
“یک متخصص قلب: ...” in an English message read with its closing quote at the
wrong end, and "Editor (fa)" opening a Persian sentence read "(Editor (fa".
Pages put such a name in an element with `dir` (or <bdi>); plain text (messages,
form errors, a diff's words, select2's options) wraps it in Unicode's isolates,
plain text's <bdi>.
"""

# LEFT-TO-RIGHT, RIGHT-TO-LEFT and FIRST STRONG ISOLATE; POP DIRECTIONAL ISOLATE.
_OPEN = {False: "\u2066", True: "\u2067", None: "\u2068"}
_CLOSE = "\u2069"


def isolated(text: str, *, rtl: bool | None = None) -> str:
    """Return `text` set apart: right to left, left to right, or (None) as its first
    letter goes. Say the direction when it is known (an article's edition): a Persian
    title that begins with a Latin name would otherwise be judged left to right."""
    return f"{_OPEN[rtl]}{text}{_CLOSE}"
