import os

# ruleid: python.django.django-hardcoded-secret-key
SECRET_KEY = "django-insecure-9x!k2@l#4m$8n%0p^q&r*s(t)u"

# ruleid: python.django.django-hardcoded-secret-key
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "fallback-secret-for-dev")

# ruleid: python.django.django-hardcoded-secret-key
SECRET_KEY = os.getenv("DJANGO_SECRET_KEY", "fallback-secret-for-dev")

# ok: python.django.django-hardcoded-secret-key
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

# ok: python.django.django-hardcoded-secret-key
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY")

# ok: python.django.django-hardcoded-secret-key
SECRET_KEY_FALLBACKS = []
