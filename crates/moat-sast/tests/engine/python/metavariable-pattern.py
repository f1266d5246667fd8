import os

import requests
from flask import request


def find_user(cursor, user_id, name):
    # ruleid: metavariable-pattern-built-query
    cursor.execute("SELECT * FROM users WHERE id = " + user_id)
    # ruleid: metavariable-pattern-built-query
    cursor.execute("SELECT * FROM users WHERE name = '{}'".format(name), timeout=3)
    # ok: metavariable-pattern-built-query
    cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))
    # ok: metavariable-pattern-built-query
    cursor.execute(name)
    return cursor.fetchall()


def read_upload(base_dir, filename):
    # ruleid: metavariable-pattern-joined-path
    with open(os.path.join(base_dir, filename)) as fh:
        data = fh.read()
    # ok: metavariable-pattern-joined-path
    with open(os.path.join("/etc", "hosts")) as fh:
        hosts = fh.read()
    # ok: metavariable-pattern-joined-path
    with open(filename, "rb") as fh:
        raw = fh.read()
    return data, hosts, raw


def proxy():
    # ruleid: metavariable-pattern-request-url
    upstream = requests.get(request.args.get("url"), timeout=5)
    # ok: metavariable-pattern-request-url
    status = requests.get("https://status.example.com", timeout=5)
    # ok: metavariable-pattern-request-url
    fallback = requests.get(request.headers.get("Referer"))
    return upstream.text, status.text, fallback.text
