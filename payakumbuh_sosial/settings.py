"""Settings for Payakumbuh Sosial, read from the environment.

Defaults give a working development setup on SQLite; production sets DEBUG=0 and a SECRET_KEY
(see .env.example and the README).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off (see .env.example).")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "akun.apps.BackOfficeAdminConfig",  # django.contrib.admin with a role-based site (akun/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "django_htmx",
    "bootstrap",  # django-bootstrap-static: Bootstrap's CSS/JS as static files
    "django_tasks",  # background work (DESIGN.md): the task API, forward-compatible with Django 6
    "django_tasks_db",  # its database backend: job rows in our database, run by `manage.py db_worker`
    # project
    "akun",
    "wilayah",
    "penduduk",
    "ppks",
    "psm",
    "kemiskinan",
    "bantuan",
    "pengaduan",
    "dasbor",
    "impor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "akun.middleware.TanpaCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "akun.middleware.TolakNulMiddleware",
    "akun.middleware.DatabaseSibukMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "akun.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "akun.middleware.RoleAccessMiddleware",
    # Axes last, as its documentation requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "payakumbuh_sosial.urls"

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
                "akun.context_processors.peran",
            ],
        },
    },
]

WSGI_APPLICATION = "payakumbuh_sosial.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serves `make run` and small offices: several people saving at once must wait for
    # each other, not fail with "database is locked". BEGIN IMMEDIATE takes the write lock at the
    # start of a transaction (no deadlock between two readers upgrading to writers), the busy
    # timeout waits for it, and WAL lets readers go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env_int("SQLITE_TIMEOUT", 20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "beranda": the PSM home's rendered lists (psm/cache_beranda.py), in each process's memory. The
# key carries the caseload version the database keeps (psm/jurnal.py), so processes never need to
# tell each other of a change and a restart only costs one render per PSM.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "payakumbuh-default"},
    "beranda": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "payakumbuh-beranda",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_BERANDA_MAKS", 5000)},
    },
}

AUTH_USER_MODEL = "akun.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia"))]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy everywhere, also in forms.
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["payakumbuh_sosial.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"
# Personal photos (visits) live outside MEDIA_ROOT and have no public URL: a scoped view serves them.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "media_privat"))
FOTO_MAKS_MB = env_int("FOTO_MAKS_MB", 5)
# --- Background work (DESIGN.md): django-tasks with its database backend. Tasks are rows in our
# database; `manage.py db_worker` runs them (`make run` starts one beside the server; in production
# one systemd unit per machine, README "Impor data"). ---
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# Uploaded import files and rejected-row reports hold personal data: kept in PRIVATE_MEDIA_ROOT/impor
# (no public URL) and deleted after this many days by `manage.py hapus_berkas_impor` (cron).
IMPOR_SIMPAN_HARI = env_int("IMPOR_SIMPAN_HARI", 7)
# Days between visits before a subject counts as overdue (psm/jadwal.py).
KUNJUNGAN_INTERVAL_HARI = {
    "ppks": env_int("KUNJUNGAN_HARI_PPKS", 90),
    "miskin_ekstrem": env_int("KUNJUNGAN_HARI_MISKIN_EKSTREM", 30),
    "kasus_darurat": env_int("KUNJUNGAN_HARI_KASUS_DARURAT", 1),
    "kasus_tinggi": env_int("KUNJUNGAN_HARI_KASUS_TINGGI", 3),
    "kasus_biasa": env_int("KUNJUNGAN_HARI_KASUS_BIASA", 7),
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Sessions: idle and absolute timeouts (akun.middleware.SessionTimeoutMiddleware) ---
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 60) * 60
SESSION_MAX_SECONDS = env_int("SESSION_MAX_HOURS", 10) * 3600
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Login throttling (django-axes): lock username+IP together, with a cool-off ---
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# An address failing against many usernames (credential stuffing) is locked too, at a higher
# limit: a whole office shares one address (akun/pembatasan.py).
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 20)
AXES_HANDLER = "akun.pembatasan.PembatasMasuk"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False
# Behind the reverse proxy: the real client address comes from X-Forwarded-For (akun/alamat_ip.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "akun.alamat_ip.alamat_ip_klien"

# --- Security: strict when DEBUG is off ---
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # Monitoring probes the health check over plain http on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content Security Policy (django-csp 4): no inline scripts; everything from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Rapid response: hours to respond per urgency (ppks/alur.py), alerts by e-mail ---
KASUS_BATAS_JAM = {
    "darurat": env_int("KASUS_JAM_DARURAT", 24),
    "tinggi": env_int("KASUS_JAM_TINGGI", 72),
    "biasa": env_int("KASUS_JAM_BIASA", 168),
}
# Absolute address of the site, for links in e-mails and WhatsApp messages sent outside a request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Dinas Sosial Payakumbuh <noreply@payakumbuhkota.go.id>")

# Imports may not use django-import-export's permissive defaults (see DESIGN.md "Known traps").
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Pengaduan: public complaints (pengaduan/, README "Pengaduan") ---
# Days staff have to triage and answer a complaint (its deadline, counted from receipt or reopening).
PENGADUAN_BATAS_HARI = env_int("PENGADUAN_BATAS_HARI", 14)
# Per client address and hour, counted in the database (pengaduan/pembatasan.py), not the cache.
PENGADUAN_KIRIM_PER_JAM = env_int("PENGADUAN_KIRIM_PER_JAM", 5)
PENGADUAN_LACAK_PER_JAM = env_int("PENGADUAN_LACAK_PER_JAM", 20)
# Attachment size limit (photo or PDF); nginx's client_max_body_size must allow at least this.
PENGADUAN_LAMPIRAN_MAKS_MB = env_int("PENGADUAN_LAMPIRAN_MAKS_MB", 5)
# A closed complaint can be followed by its code for this many days, then answers "not found".
PENGADUAN_LACAK_HARI_SETELAH_TUTUP = env_int("PENGADUAN_LACAK_HARI_SETELAH_TUTUP", 180)
