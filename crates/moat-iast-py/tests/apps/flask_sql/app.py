"""A small Flask service with vulnerable and safe SQL and shell endpoints, for the agent's tests."""

import os
import shlex
import sqlite3
import subprocess
import sys

from flask import Flask, request

app = Flask(__name__)


def db():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE users (id INTEGER, name TEXT)")
    conn.execute("INSERT INTO users VALUES (1, 'alice'), (2, 'bob')")
    return conn


@app.route("/vulnerable")
def vulnerable():
    user_id = request.args.get("id", "")
    rows = db().execute("SELECT name FROM users WHERE id = " + user_id).fetchall()
    return {"rows": rows}


@app.route("/vulnerable-fstring")
def vulnerable_fstring():
    name = request.args.get("name", "")
    cursor = db().cursor()
    cursor.execute(f"SELECT id FROM users WHERE name = '{name}'")
    return {"rows": cursor.fetchall()}


@app.route("/safe-quoted")
def safe_quoted():
    # A value that stays inside its quotes: not an injection, whatever it holds.
    name = request.args.get("name", "").replace("'", "''")
    rows = db().execute("SELECT id FROM users WHERE name = '" + name + "'").fetchall()
    return {"rows": rows}


@app.route("/safe-parameter")
def safe_parameter():
    user_id = request.args.get("id", "")
    rows = db().execute("SELECT name FROM users WHERE id = ?", (user_id,)).fetchall()
    return {"rows": rows}


@app.route("/ping")
def ping():
    host = request.args.get("host", "")
    status = subprocess.call("echo ping " + host + " > /dev/null", shell=True)
    return {"status": status}


@app.route("/ping-quoted")
def ping_quoted():
    host = shlex.quote(request.args.get("host", ""))
    status = os.system("echo ping " + host + " > /dev/null")
    return {"status": status}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]))
