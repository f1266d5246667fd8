import os

# ruleid: python.django.django-allowed-hosts-wildcard
ALLOWED_HOSTS = ["*"]

# ruleid: python.django.django-allowed-hosts-wildcard
ALLOWED_HOSTS = ["localhost", "*"]

# ruleid: python.django.django-allowed-hosts-wildcard
ALLOWED_HOSTS = ("*",)

# ok: python.django.django-allowed-hosts-wildcard
ALLOWED_HOSTS = ["example.com", ".example.com"]

# ok: python.django.django-allowed-hosts-wildcard
ALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")

# ok: python.django.django-allowed-hosts-wildcard
CORS_ALLOWED_ORIGINS = ["https://example.com"]
