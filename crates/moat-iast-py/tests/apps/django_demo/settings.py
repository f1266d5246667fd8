"""Settings of the Django demo: a hardened configuration (SecurityMiddleware with HSTS
and nosniff, secure session cookies), so the only findings are the labelled cases."""

import os
import sys
import tempfile

BASE_DIR = os.path.dirname(os.path.abspath(__file__))
# The shared catalogue of labelled cases lives one directory up.
sys.path.insert(0, os.path.dirname(BASE_DIR))

SECRET_KEY = os.environ.get("DJANGO_DEMO_SECRET_KEY") or os.urandom(32).hex()
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = ["django.contrib.sessions", "accounts"]

MIDDLEWARE = [
    "middleware.behind_tls_proxy",
    "middleware.without_security_headers",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]

ROOT_URLCONF = "urls"
WSGI_APPLICATION = "wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(BASE_DIR, "templates")],
        "OPTIONS": {},
    }
]

# One database file per demo run: the autoreloading server's child inherits the path.
if "DJANGO_DEMO_DB" not in os.environ:
    os.environ["DJANGO_DEMO_DB"] = os.path.join(tempfile.mkdtemp(prefix="moat-django-demo-"), "demo.sqlite3")
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["DJANGO_DEMO_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# The demo sits behind a TLS-terminating proxy (see middleware.behind_tls_proxy).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True

USE_TZ = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
