"""Injection sinks: SQL, command, code, path, SSRF, LDAP, XPath, NoSQL, deserialization."""

import os
import shlex
import sqlite3
import subprocess

from flask import request

from cases import case


def db():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE users (id INTEGER, name TEXT)")
    conn.execute("INSERT INTO users VALUES (1, 'alice'), (2, 'bob')")
    return conn


def register(app):
    @app.route("/sqli-concat")
    @case("SQL_INJECTION", True, params={"id": "1 OR 1=1"})
    def sqli_concat():
        user_id = request.args.get("id", "")
        rows = db().execute("SELECT name FROM users WHERE id = " + user_id).fetchall()  # report
        return {"rows": rows}

    @app.route("/sqli-fstring-cursor")
    @case("SQL_INJECTION", True, params={"name": "x' OR '1'='1"})
    def sqli_fstring_cursor():
        name = request.args.get("name", "")
        cursor = db().cursor()
        cursor.execute(f"SELECT id FROM users WHERE name = '{name}'")  # report
        return {"rows": cursor.fetchall()}

    @app.route("/sqli-safe-parameter")
    @case("SQL_INJECTION", False, params={"id": "1 OR 1=1"})
    def sqli_safe_parameter():
        rows = db().execute("SELECT name FROM users WHERE id = ?", (request.args.get("id", ""),)).fetchall()
        return {"rows": rows}

    @app.route("/sqli-safe-quoted")
    @case("SQL_INJECTION", False, params={"name": "x' OR '1'='1"})
    def sqli_safe_quoted():
        name = request.args.get("name", "").replace("'", "''")
        rows = db().execute("SELECT id FROM users WHERE name = '" + name + "'").fetchall()
        return {"rows": rows}

    @app.route("/cmdi-shell")
    @case("COMMAND_INJECTION", True, params={"host": "example.com; id"})
    def cmdi_shell():
        host = request.args.get("host", "")
        status = subprocess.call("echo ping " + host + " > /dev/null", shell=True)  # report
        return {"status": status}

    @app.route("/cmdi-safe-quoted")
    @case("COMMAND_INJECTION", False, params={"host": "example.com; id"})
    def cmdi_safe_quoted():
        host = shlex.quote(request.args.get("host", ""))
        return {"status": os.system("echo ping " + host + " > /dev/null")}
