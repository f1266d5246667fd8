import os

# ruleid: python.django.django-insecure-cookie-in-settings
SESSION_COOKIE_SECURE = False

# ruleid: python.django.django-insecure-cookie-in-settings
SESSION_COOKIE_HTTPONLY = False

# ruleid: python.django.django-insecure-cookie-in-settings
CSRF_COOKIE_SECURE = False

# ok: python.django.django-insecure-cookie-in-settings
SESSION_COOKIE_SECURE = True

# ok: python.django.django-insecure-cookie-in-settings
CSRF_COOKIE_SECURE = os.environ.get("HTTPS", "1") == "1"

# ok: python.django.django-insecure-cookie-in-settings
CSRF_COOKIE_HTTPONLY = False
