import os

import psycopg2
import pymysql


def pg():
    # ruleid: python.lang.hardcoded-password-argument
    return psycopg2.connect(host="db", user="app", password="Sup3rSecret!")


def mysql():
    # ruleid: python.lang.hardcoded-password-argument
    return pymysql.connect(host="db", user="root", passwd="toor", db="app")


def pg_env():
    # ok: python.lang.hardcoded-password-argument
    return psycopg2.connect(host="db", user="app", password=os.environ["PGPASSWORD"])


def anonymous():
    # ok: python.lang.hardcoded-password-argument
    return pymysql.connect(host="db", user="guest", password="")


def form_field(forms):
    # ok: python.lang.hardcoded-password-argument
    return forms.CharField(label="password", max_length=128)


def redacted(url):
    # ok: python.lang.hardcoded-password-argument
    return url.replace(password="********")


def templated(render):
    # ok: python.lang.hardcoded-password-argument
    return render(user="{user}", password="${DB_PASSWORD}")
