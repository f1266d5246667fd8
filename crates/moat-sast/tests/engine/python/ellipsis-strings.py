import os

import psycopg2


def connect(host, password):
    # ruleid: ellipsis-strings-literal-password
    first = psycopg2.connect(host=host, user="app", password="s3cret")
    # ruleid: ellipsis-strings-literal-password
    second = psycopg2.connect(host=host, password='single-quoted')
    # ruleid: ellipsis-strings-literal-password
    third = psycopg2.connect(password="")
    # ok: ellipsis-strings-literal-password
    fourth = psycopg2.connect(host=host, password=os.environ["PGPASSWORD"])
    # ok: ellipsis-strings-literal-password
    fifth = psycopg2.connect(host=host, password=password)
    # ok: ellipsis-strings-literal-password
    sixth = psycopg2.connect(host=host, password=None)
    return first, second, third, fourth, fifth, sixth


def ping(cursor, sql, user_id):
    # ruleid: ellipsis-strings-static-query
    cursor.execute("SELECT 1")
    # ruleid: ellipsis-strings-static-query
    cursor.execute('SELECT version()')
    # ok: ellipsis-strings-static-query
    cursor.execute(sql)
    # ok: ellipsis-strings-static-query
    cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))
    # ok: ellipsis-strings-static-query
    cursor.execute(42)
