import os

# ruleid: python.django.django-debug-true-in-settings
DEBUG = True

if os.environ.get("STAGE") == "dev":
    # ruleid: python.django.django-debug-true-in-settings
    DEBUG = True

# ok: python.django.django-debug-true-in-settings
DEBUG = False

# ok: python.django.django-debug-true-in-settings
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

# ok: python.django.django-debug-true-in-settings
DEBUG_PROPAGATE_EXCEPTIONS = True


def enable_debug_for_tests(settings):
    # ok: python.django.django-debug-true-in-settings
    DEBUG = True
    return DEBUG
