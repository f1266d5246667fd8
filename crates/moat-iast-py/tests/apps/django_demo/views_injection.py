"""SQL through Django's ORM escape hatches (raw(), extra(), RawSQL, the connection's
cursor), SQL through sqlite3 directly, and a shell command."""

import os
import shlex
import sqlite3

from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import JsonResponse
from django.urls import path

from accounts.models import Account
from cases import case

ATTACK = "x' OR '1'='1"


@case("SQL_INJECTION", True, params={"role": ATTACK})
def orm_raw(request):
    role = request.GET.get("role", "member")
    accounts = Account.objects.raw("SELECT id, name FROM accounts_account WHERE role = '" + role + "'")  # report
    return JsonResponse({"names": [account.name for account in accounts]})


@case("SQL_INJECTION", False, params={"role": ATTACK})
def orm_raw_parameterised(request):
    role = request.GET.get("role", "member")
    accounts = Account.objects.raw("SELECT id, name FROM accounts_account WHERE role = %s", [role])
    return JsonResponse({"names": [account.name for account in accounts]})


@case("SQL_INJECTION", True, params={"role": ATTACK})
def orm_extra(request):
    role = request.GET.get("role", "member")
    accounts = Account.objects.extra(where=["role = '" + role + "'"])  # report
    return JsonResponse({"names": [account.name for account in accounts]})


@case("SQL_INJECTION", False, params={"role": ATTACK})
def orm_extra_parameterised(request):
    accounts = Account.objects.extra(where=["role = %s"], params=[request.GET.get("role", "member")])
    return JsonResponse({"names": [account.name for account in accounts]})


@case("SQL_INJECTION", True, params={"role": ATTACK})
def orm_rawsql(request):
    role = request.GET.get("role", "member")
    subquery = RawSQL("SELECT id FROM accounts_account WHERE role = '" + role + "'", ())  # report
    return JsonResponse({"names": list(Account.objects.filter(id__in=subquery).values_list("name", flat=True))})


@case("SQL_INJECTION", False, params={"role": ATTACK})
def orm_rawsql_parameterised(request):
    subquery = RawSQL("SELECT id FROM accounts_account WHERE role = %s", (request.GET.get("role", "member"),))
    return JsonResponse({"names": list(Account.objects.filter(id__in=subquery).values_list("name", flat=True))})


@case("SQL_INJECTION", False, params={"name": ATTACK})
def orm_filter(request):
    # The ORM sends the value as a parameter.
    accounts = Account.objects.filter(name=request.GET.get("name", ""))
    return JsonResponse({"emails": [account.email for account in accounts]})


@case("SQL_INJECTION", True, params={"name": ATTACK})
def cursor_executemany(request):
    name = request.GET.get("name", "")
    with connection.cursor() as cursor:
        cursor.executemany("UPDATE accounts_account SET role = %s WHERE name = '" + name + "'", [("member",)])  # report
    return JsonResponse({"updated": True})


def sample_db():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE products (id INTEGER, title TEXT)")
    conn.execute("INSERT INTO products VALUES (1, 'lamp'), (2, 'desk')")
    return conn


@case("SQL_INJECTION", True, params={"title": ATTACK})
def sqlite_direct(request):
    title = request.GET.get("title", "")
    rows = sample_db().execute("SELECT id FROM products WHERE title = '" + title + "'").fetchall()  # report
    return JsonResponse({"ids": [row[0] for row in rows]})


@case("SQL_INJECTION", False, params={"title": ATTACK})
def sqlite_direct_parameterised(request):
    rows = sample_db().execute("SELECT id FROM products WHERE title = ?", (request.GET.get("title", ""),)).fetchall()
    return JsonResponse({"ids": [row[0] for row in rows]})


@case("COMMAND_INJECTION", True, params={"host": "example.com; id"})
def ping(request):
    host = request.GET.get("host", "")
    status = os.system("echo ping " + host + " > /dev/null")  # report
    return JsonResponse({"status": status})


@case("COMMAND_INJECTION", False, params={"host": "example.com; id"})
def ping_quoted(request):
    host = shlex.quote(request.GET.get("host", ""))
    return JsonResponse({"status": os.system("echo ping " + host + " > /dev/null")})


urlpatterns = [
    path("orm-raw", orm_raw),
    path("orm-raw-parameterised", orm_raw_parameterised),
    path("orm-extra", orm_extra),
    path("orm-extra-parameterised", orm_extra_parameterised),
    path("orm-rawsql", orm_rawsql),
    path("orm-rawsql-parameterised", orm_rawsql_parameterised),
    path("orm-filter", orm_filter),
    path("cursor-executemany", cursor_executemany),
    path("sqlite-direct", sqlite_direct),
    path("sqlite-direct-parameterised", sqlite_direct_parameterised),
    path("ping", ping),
    path("ping-quoted", ping_quoted),
]
