"""Data flow: request data reaching a sink only through string operations, decoders and
library functions, and the safe variants that sanitise, validate or never use it.

Every vulnerable view reaches its sink with the attack intact, through exactly one kind
of operation; each safe one is the fix a reviewer would ask for.
"""

import atexit
import base64
import html
import io
import json
import os
import re
import shlex
import shutil
import sqlite3
import string
import subprocess
import tempfile
from urllib.parse import parse_qs, quote, unquote_plus, urlsplit

import jinja2
from flask import render_template_string, request

from cases import case

INJECTION = "1 OR 1=1"
SORTABLE = {"id", "name"}
TABLES = ("users", "orders")
WHITESPACE = re.compile(r"\s+")
FILTER = re.compile(r"(\w+):(.*)")
TRAVERSAL = "../secret.txt"

# `files/` is what the path cases may read; `secret.txt` beside it is not.
ROOT = os.path.realpath(tempfile.mkdtemp(prefix="moat-flow-"))
FILES = os.path.join(ROOT, "files")
os.makedirs(FILES)
with open(os.path.join(FILES, "notes.txt"), "w") as out:
    out.write("meeting notes\n")
with open(os.path.join(ROOT, "secret.txt"), "w") as out:
    out.write("db-password\n")
atexit.register(shutil.rmtree, ROOT, True)


def db():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE users (id INTEGER, name TEXT)")
    conn.execute("INSERT INTO users VALUES (1, 'alice'), (2, 'bob')")
    conn.execute("CREATE TABLE orders (id INTEGER, name TEXT)")
    conn.execute("INSERT INTO orders VALUES (7, 'alice')")
    return conn


def bad_request(why):
    return {"error": why}, 400


def register(app):
    # -- Decoders ---------------------------------------------------------------------

    @app.route("/flow-unquote-plus")
    @case("SQL_INJECTION", True, params={"id": "1+OR+1%3D1"})
    def flow_unquote_plus():
        # A client that URL-encodes the value once more than the query string does.
        user_id = unquote_plus(request.args.get("id", ""))
        rows = db().execute("SELECT name FROM users WHERE id = " + user_id).fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-base64")
    @case("SQL_INJECTION", True, params={"filter": base64.b64encode(INJECTION.encode()).decode()})
    def flow_base64():
        user_id = base64.b64decode(request.args.get("filter", "")).decode("utf-8")
        rows = db().execute(f"SELECT name FROM users WHERE id = {user_id}").fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-json-value")
    @case("SQL_INJECTION", True, params={"filter": json.dumps({"id": INJECTION})})
    def flow_json_value():
        wanted = json.loads(request.args.get("filter", "{}"))
        query = "SELECT name FROM users WHERE id = {}".format(wanted["id"])
        rows = db().execute(query).fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-json-key")
    @case("SQL_INJECTION", True, params={"filter": json.dumps({"1=1 OR name": "alice"})})
    def flow_json_key():
        rows = []
        for column, value in json.loads(request.args.get("filter", "{}")).items():
            # The value is a parameter, but the key picks the column: it is SQL too.
            rows += db().execute("SELECT id FROM users WHERE %s = ?" % column, (value,)).fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-urlsplit-parse-qs")
    @case("SQL_INJECTION", True, params={"next": "/profile?id=1+OR+1%3D1&tab=posts"})
    def flow_urlsplit_parse_qs():
        query = parse_qs(urlsplit(request.args.get("next", "/")).query)
        user_id = query.get("id", ["1"])[0]
        rows = db().execute("SELECT name FROM users WHERE id = " + user_id).fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-encode-decode")
    @case("SQL_INJECTION", True, params={"name": "zoë' OR '1'='1"})
    def flow_encode_decode():
        raw = request.args.get("name", "").encode("utf-8")
        name = raw.decode("utf-8").strip()
        rows = db().execute("SELECT id FROM users WHERE name = '" + name + "'").fetchall()  # report
        return {"rows": rows}

    # -- Regular expressions ---------------------------------------------------------------

    @app.route("/flow-regex-group")
    @case("SQL_INJECTION", True, params={"q": "id:" + INJECTION})
    def flow_regex_group():
        match = FILTER.match(request.args.get("q", ""))
        if match is None:
            return bad_request("expected field:value")
        field, value = match.groups()
        rows = db().execute("SELECT name FROM users WHERE " + field + " = " + value).fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-regex-sub")
    @case("SQL_INJECTION", True, params={"id": "1\tOR\t1=1"})
    def flow_regex_sub():
        user_id = WHITESPACE.sub(" ", request.args.get("id", ""))
        rows = db().execute("SELECT name FROM users WHERE id = " + user_id).fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-regex-findall")
    @case("SQL_INJECTION", True, params={"ids": "1,2) OR (1=1"})
    def flow_regex_findall():
        ids = ", ".join(re.findall(r"[^,]+", request.args.get("ids", "")))
        rows = db().execute("SELECT name FROM users WHERE id IN (" + ids + ")").fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-regex-unanchored")
    @case("SQL_INJECTION", True, params={"table": "users WHERE 1=1 --"})
    def flow_regex_unanchored():
        table = request.args.get("table", "")
        # Not a validation: `match` only looks at the start of the value.
        if not re.match(r"[a-z_]+", table):
            return bad_request("bad table")
        rows = db().execute("SELECT name FROM " + table).fetchall()  # report
        return {"rows": rows}

    # -- Building text -----------------------------------------------------------------

    @app.route("/flow-stringio")
    @case("SQL_INJECTION", True, params={"id": INJECTION})
    def flow_stringio():
        buffer = io.StringIO()
        buffer.write("SELECT name FROM users")
        buffer.write(" WHERE id = ")
        buffer.write(request.args.get("id", ""))
        rows = db().execute(buffer.getvalue()).fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-format-map")
    @case("SQL_INJECTION", True, params={"id": INJECTION})
    def flow_format_map():
        query = "SELECT name FROM users WHERE id = {id}".format_map(request.args)
        rows = db().execute(query).fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-percent-dict")
    @case("SQL_INJECTION", True, params={"id": INJECTION})
    def flow_percent_dict():
        query = "SELECT name FROM users WHERE id = %(id)s" % {"id": request.args.get("id", "")}
        rows = db().execute(query).fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-join")
    @case("SQL_INJECTION", True, params={"name": "x' OR '1'='1"})
    def flow_join():
        conditions = ["id > 0", f"name = '{request.args.get('name', '')}'"]
        rows = db().execute("SELECT id FROM users WHERE " + " AND ".join(conditions)).fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-augmented")
    @case("SQL_INJECTION", True, params={"id": INJECTION})
    def flow_augmented():
        query = "SELECT name FROM users"
        query += " WHERE id = "
        query += request.args.get("id", "")
        rows = db().execute(query).fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-partition-slice")
    @case("SQL_INJECTION", True, params={"q": "id=" + INJECTION})
    def flow_partition_slice():
        field, _, value = request.args.get("q", "").partition("=")
        if field != "id":
            return bad_request("only id")
        rows = db().execute("SELECT name FROM users WHERE id = " + value[:32]).fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-string-template")
    @case("SQL_INJECTION", True, params={"id": INJECTION})
    def flow_string_template():
        query = string.Template("SELECT name FROM users WHERE id = $id").substitute(id=request.args.get("id", ""))
        rows = db().execute(query).fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-jinja-sql")
    @case("SQL_INJECTION", True, params={"id": INJECTION})
    def flow_jinja_sql():
        # Jinja used to write SQL: no autoescaping, and HTML escaping would not help.
        query = jinja2.Template("SELECT name FROM users WHERE id = {{ id }}").render(id=request.args.get("id", ""))
        rows = db().execute(query).fetchall()  # report
        return {"rows": rows}

    @app.route("/flow-command-format")
    @case("COMMAND_INJECTION", True, params={"file": "notes.txt; id"})
    def flow_command_format():
        command = "wc -c {} > /dev/null 2>&1".format(request.args.get("file", ""))
        status = subprocess.call(command, shell=True, cwd=FILES)  # report
        return {"status": status}

    @app.route("/flow-path-normalised")
    @case("PATH_TRAVERSAL", True, params={"name": TRAVERSAL})
    def flow_path_normalised():
        # Normalising is not confining: the `..` are gone, and so is the directory.
        path = os.path.normpath(os.path.join(FILES, request.args.get("name", "")))
        try:
            with open(path, encoding="utf-8") as handle:  # report
                return {"size": len(handle.read())}
        except OSError:
            return {"size": None}

    @app.route("/flow-xss-link")
    @case("XSS", True, params={"url": "javascript:alert(document.cookie)"})
    def flow_xss_link():
        # Autoescaping stops markup, not a `javascript:` URL in an attribute.
        return render_template_string("<a href='{{ url }}'>your site</a>", url=request.args.get("url", ""))  # report

    # -- Safe variants ------------------------------------------------------------------

    @app.route("/flow-safe-constant-branch")
    @case("SQL_INJECTION", False, params={"id": INJECTION})
    def flow_safe_constant_branch():
        user_id = "1" if 7 * 18 + 106 > 200 else request.args.get("id", "")
        rows = db().execute("SELECT name FROM users WHERE id = " + user_id).fetchall()
        return {"rows": rows}

    @app.route("/flow-safe-wrong-key")
    @case("SQL_INJECTION", False, params={"filter": json.dumps({"id": INJECTION})})
    def flow_safe_wrong_key():
        wanted = json.loads(request.args.get("filter", "{}"))
        limits = {"id": wanted.get("id"), "limit": "10"}
        rows = db().execute("SELECT name FROM users LIMIT " + limits["limit"]).fetchall()
        return {"rows": rows}

    @app.route("/flow-safe-isdigit")
    @case("SQL_INJECTION", False, params={"id": INJECTION})
    def flow_safe_isdigit():
        user_id = request.args.get("id", "")
        if not user_id.isdigit():
            return bad_request("id must be a number")
        rows = db().execute("SELECT name FROM users WHERE id = " + user_id).fetchall()
        return {"rows": rows}

    @app.route("/flow-safe-int")
    @case("SQL_INJECTION", False, params={"id": INJECTION})
    def flow_safe_int():
        try:
            user_id = int(request.args.get("id", ""))
        except ValueError:
            user_id = 1
        rows = db().execute("SELECT name FROM users WHERE id = " + str(user_id)).fetchall()
        return {"rows": rows}

    @app.route("/flow-safe-allow-list")
    @case("SQL_INJECTION", False, params={"sort": "name"})
    def flow_safe_allow_list():
        # The request picks a column name, which the SQL check reports unless the code
        # proved it is one of its own.
        column = request.args.get("sort", "id")
        if column not in SORTABLE:
            return bad_request("cannot sort by that")
        rows = db().execute("SELECT id, name FROM users ORDER BY " + column).fetchall()
        return {"rows": rows}

    @app.route("/flow-safe-allow-list-attack")
    @case("SQL_INJECTION", False, params={"sort": "name; DROP TABLE users"})
    def flow_safe_allow_list_attack():
        column = request.args.get("sort", "id")
        if column not in SORTABLE:
            return bad_request("cannot sort by that")
        rows = db().execute("SELECT id, name FROM users ORDER BY " + column).fetchall()
        return {"rows": rows}

    @app.route("/flow-safe-tuple-allow-list")
    @case("SQL_INJECTION", False, params={"table": "orders"})
    def flow_safe_tuple_allow_list():
        table = request.args.get("table", "users")
        if table in TABLES:
            return {"rows": db().execute("SELECT id FROM " + table).fetchall()}
        return bad_request("unknown table")

    @app.route("/flow-safe-fullmatch")
    @case("SQL_INJECTION", False, params={"table": "users"})
    def flow_safe_fullmatch():
        table = request.args.get("table", "")
        if not re.fullmatch(r"[a-z_]+", table):
            return bad_request("bad table")
        rows = db().execute("SELECT name FROM " + table).fetchall()
        return {"rows": rows}

    @app.route("/flow-safe-anchored-match")
    @case("SQL_INJECTION", False, params={"table": "users WHERE 1=1 --"})
    def flow_safe_anchored_match():
        table = request.args.get("table", "")
        if not re.match(r"^[a-z_]+$", table):
            return bad_request("bad table")
        rows = db().execute("SELECT name FROM " + table).fetchall()
        return {"rows": rows}

    @app.route("/flow-safe-regex-strip")
    @case("SQL_INJECTION", False, params={"id": INJECTION})
    def flow_safe_regex_strip():
        # Only digits are left: the request still writes the number, nothing else.
        user_id = re.sub(r"[^0-9]", "", request.args.get("id", "")) or "0"
        rows = db().execute("SELECT name FROM users WHERE id = " + user_id).fetchall()
        return {"rows": rows}

    @app.route("/flow-safe-json-parameter")
    @case("SQL_INJECTION", False, params={"filter": json.dumps({"name": "x' OR '1'='1"})})
    def flow_safe_json_parameter():
        wanted = json.loads(request.args.get("filter", "{}"))
        rows = db().execute("SELECT id FROM users WHERE name = ?", (wanted.get("name", ""),)).fetchall()
        return {"rows": rows}

    @app.route("/flow-safe-shlex-format")
    @case("COMMAND_INJECTION", False, params={"file": "notes.txt; id"})
    def flow_safe_shlex_format():
        command = "wc -c {} > /dev/null 2>&1".format(shlex.quote(request.args.get("file", "")))
        return {"status": subprocess.call(command, shell=True, cwd=FILES)}

    @app.route("/flow-safe-url-quoted")
    @case("COMMAND_INJECTION", False, params={"file": "notes.txt; id"})
    def flow_safe_url_quoted():
        name = quote(request.args.get("file", ""), safe="")
        return {"status": os.system("wc -c " + name + " > /dev/null 2>&1")}

    @app.route("/flow-safe-basename")
    @case("PATH_TRAVERSAL", False, params={"name": TRAVERSAL})
    def flow_safe_basename():
        path = os.path.join(FILES, os.path.basename(request.args.get("name", "")))
        try:
            with open(path, encoding="utf-8") as handle:
                return {"size": len(handle.read())}
        except OSError:
            return {"size": None}

    @app.route("/flow-safe-commonpath")
    @case("PATH_TRAVERSAL", False, params={"name": TRAVERSAL})
    def flow_safe_commonpath():
        path = os.path.realpath(os.path.join(FILES, request.args.get("name", "")))
        if os.path.commonpath([FILES, path]) != FILES:
            return bad_request("outside the files")
        with open(path, encoding="utf-8") as handle:
            return {"size": len(handle.read())}

    @app.route("/flow-safe-html-escape")
    @case("XSS", False, params={"name": "<script>alert(document.cookie)</script>"})
    def flow_safe_html_escape():
        return "<p>Hello " + html.escape(request.args.get("name", "")) + "</p>"

    @app.route("/flow-safe-link-path")
    @case("XSS", False, params={"name": "javascript:alert(document.cookie)"})
    def flow_safe_link_path():
        # The value can only ever be a path below /users/: no scheme can start there.
        return render_template_string("<a href='/users/{{ name }}'>profile</a>", name=request.args.get("name", ""))
