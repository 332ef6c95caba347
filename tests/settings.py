"""Test-run defaults: environment values only, then the one real settings module.

pytest-django imports settings before any conftest runs, so the variables a test
run needs (a throwaway SECRET_KEY, no HTTPS redirect for the test client) are set
here rather than in a conftest.
"""

import atexit
import os
import secrets
import shutil
import tempfile

# A developer's .env (DJANGO_DEBUG=1) must not leak into the test run.
os.environ["DJANGO_ENV_FILE"] = "no-such-file"
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The shared file cache in a folder of this run's own; processes a test starts
# inherit the variable, so they share it as workers of one machine would.
if "DJANGO_CACHE_DIR" not in os.environ:
    os.environ["DJANGO_CACHE_DIR"] = tempfile.mkdtemp(prefix="alwaght-test-cache-")
    atexit.register(shutil.rmtree, os.environ["DJANGO_CACHE_DIR"], ignore_errors=True)
# With pytest-xdist (make test) each worker is a machine of its own: the workers
# inherit the folder from the run's first process, and one worker's empty_cache
# (tests/conftest.py) must not clear another's. A folder per worker inside it; the
# processes a worker starts inherit both variables and keep the worker's folder.
if (_worker := os.environ.get("PYTEST_XDIST_WORKER")) and (
    os.environ.get("ALWAGHT_TEST_CACHE_WORKER") != _worker
):
    os.environ["ALWAGHT_TEST_CACHE_WORKER"] = _worker
    os.environ["DJANGO_CACHE_DIR"] = os.path.join(os.environ["DJANGO_CACHE_DIR"], _worker)
# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from alwaght.settings import *  # noqa: F403
from alwaght.settings import STORAGES

# Hashed static names need collectstatic; tests serve straight from the finders.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
# Serve static files from the app folders, as in development (no collectstatic run).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Threads of the live server must not keep connections to the test database open,
# or it cannot be dropped at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# The page cache is off unless a test turns it on (tests/pagecache/conftest.py):
# other tests count queries and re-read pages within one test.
PAGE_CACHE_ENABLED = False
CACHES = {
    **CACHES,  # noqa: F405
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}

# Replicas set in the environment are not the test database's: the replica tests
# start their own primary and streaming replica (tests/test_replicas.py).
for _alias in DATABASE_REPLICAS:  # noqa: F405
    del DATABASES[_alias]  # noqa: F405
DATABASE_REPLICAS = []
