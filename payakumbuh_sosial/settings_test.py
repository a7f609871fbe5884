"""Test settings: the real settings plus what makes a test run fast and self-contained."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef")

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

# Static files from the finders, no manifest (collectstatic is a deploy step).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# A fast hasher: password hashing dominates login-heavy tests otherwise.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Serve static files from the app folders without collectstatic (also for live_server).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Visit photos of the test run go to a throwaway folder.
import tempfile  # noqa: E402

PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="payakumbuh-foto-")
# Background tasks run at once, inside the request (deterministic tests; no worker needed).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
