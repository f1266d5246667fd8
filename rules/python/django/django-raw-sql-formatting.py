from django.db.models.expressions import RawSQL

from app.models import Person


def by_name(name):
    # ruleid: python.django.django-raw-sql-formatting
    return Person.objects.raw("SELECT * FROM app_person WHERE last_name = '%s'" % name)


def by_city(city):
    # ruleid: python.django.django-raw-sql-formatting
    return Person.objects.raw(f"SELECT * FROM app_person WHERE city = '{city}'")


def annotated(queryset, column):
    # ruleid: python.django.django-raw-sql-formatting
    return queryset.annotate(val=RawSQL("SELECT {} FROM app_stats".format(column), ()))


def filtered(queryset, clause):
    # ruleid: python.django.django-raw-sql-formatting
    return queryset.extra(where=["status = " + clause])


def by_name_safe(name):
    # ok: python.django.django-raw-sql-formatting
    return Person.objects.raw("SELECT * FROM app_person WHERE last_name = %s", [name])


def annotated_safe(queryset, value):
    # ok: python.django.django-raw-sql-formatting
    return queryset.annotate(val=RawSQL("SELECT col FROM app_stats WHERE id = %s", (value,)))


def filtered_safe(queryset, status):
    # ok: python.django.django-raw-sql-formatting
    return queryset.extra(where=["status = %s"], params=[status])
