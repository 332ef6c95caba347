"""A URL for a database Django is connected to, for tools and processes tests start."""

from urllib.parse import quote, urlencode


def database_url(settings_dict: dict, name: str | None = None) -> str:
    """Return a libpq URL for `settings_dict` (over TCP or the embedded server's socket).

    The embedded server answers on a Unix socket: its directory is HOST, which a
    URL carries as ?host= rather than in the authority part.
    """
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    database = quote(name or settings_dict["NAME"], safe="")
    host, port = settings_dict.get("HOST") or "", str(settings_dict.get("PORT") or "")
    if host.startswith("/"):
        query = urlencode({"host": host, **({"port": port} if port else {})})
        return f"postgresql://{credentials}@/{database}?{query}"
    authority = f"{host or '127.0.0.1'}:{port or 5432}"
    return f"postgresql://{credentials}@{authority}/{database}"
