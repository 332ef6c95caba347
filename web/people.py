"""How the desk names a person: the full name, else the username.

One rule for every page, message and e-mail that says who did something (who saved,
who submitted, who holds the lock). Django's own `str(user)` is the username, which
the desk shows only where a full name might be ambiguous (a version's history).
"""


def person_name(user) -> str:
    """Return `user`'s full name, else their username; "" for no user.

    "No user" (a save by a script, a deleted account) is worded by each caller, as
    its sentence needs it: `person_name(user) or _("someone")`, `... or "—"`.
    """
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
