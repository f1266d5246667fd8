from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def link(url, label):
    # ruleid: python.django.django-mark-safe-non-literal
    return mark_safe(f'<a href="{url}">{label}</a>')


def greeting(user):
    # ruleid: python.django.django-mark-safe-non-literal
    return mark_safe("<b>Hello " + user.first_name + "</b>")


def bio(profile):
    # ruleid: python.django.django-mark-safe-non-literal
    return SafeString(profile.bio_html)


def separator():
    # ok: python.django.django-mark-safe-non-literal
    return mark_safe("<hr>")


def link_safe(url, label):
    # ok: python.django.django-mark-safe-non-literal
    return format_html('<a href="{}">{}</a>', url, label)
