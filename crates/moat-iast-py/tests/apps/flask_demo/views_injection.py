"""Injection sinks: SQL, command, code, path, SSRF, NoSQL, deserialization.

PostgreSQL and MySQL are served by `pg_wire` and `mysql_wire` (their protocols in front
of SQLite). Other servers the demo cannot run are pointed at 127.0.0.1 port 1, where a
connection is refused at once: the endpoint does its real work up to the network call,
then answers 503 or 502 as an application would.
"""

import ast
import asyncio
import atexit
import http.client
import io
import json
import os
import pathlib
import pickle
import shlex
import shutil
import sqlite3
import subprocess
import tempfile
import urllib.error
import urllib.request
from contextlib import closing

import aiohttp
import httpx
import jsonpickle
import psycopg
import psycopg2
import pymongo
import pymongo.errors
import pymysql
import requests
import yaml
from flask import abort, request, send_file, send_from_directory
from sqlalchemy import create_engine, text
from sqlalchemy.pool import StaticPool

import mysql_wire
import pg_wire
from cases import case

UNREACHABLE = "http://127.0.0.1:1/"
SHELL_ATTACK = "example.com; id"
TRAVERSAL = "../secret.txt"
# Each payload calls a function of the attacker's choice (harmless `len` here; a real
# attack names `os.system`): what makes these formats unsafe on request data.
PICKLE_CALL = "cbuiltins\nlen\n(S'owned'\ntR."
YAML_CALL = "!!python/object/apply:builtins.len [owned]"
JSONPICKLE_CALL = '{"py/reduce": [{"py/function": "builtins.len"}, {"py/tuple": ["owned"]}]}'

# Files the path cases serve: `files/` is public, `secret.txt` beside it is not. Exports
# are written under `outbox/`, away from what the other cases list and read.
ROOT = tempfile.mkdtemp(prefix="moat-demo-")
FILES = os.path.join(ROOT, "files")
EXPORTS = os.path.join(ROOT, "outbox", "exports")
os.makedirs(os.path.join(FILES, "archive"))
os.makedirs(EXPORTS)
with open(os.path.join(FILES, "report.txt"), "w") as out:
    out.write("quarterly report\n")
with open(os.path.join(FILES, "invoice-template.txt"), "w") as out:
    out.write("invoice\n")
with open(os.path.join(ROOT, "secret.txt"), "w") as out:
    out.write("db-password\n")
atexit.register(shutil.rmtree, ROOT, True)

engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
with engine.begin() as setup:
    setup.exec_driver_sql("CREATE TABLE users (id INTEGER, name TEXT)")
    setup.exec_driver_sql("INSERT INTO users VALUES (1, 'alice'), (2, 'bob')")
ORDER_COLUMNS = {"id": "id", "name": "name"}

# No MongoDB here: queries are checked and built, then server selection fails fast.
mongo = pymongo.MongoClient("mongodb://127.0.0.1:1/", serverSelectionTimeoutMS=50, connect=False)
users = mongo.demo.users


USERS = ("CREATE TABLE users (id INTEGER, name TEXT)", "INSERT INTO users VALUES (1, 'alice'), (2, 'bob')")
POSTGRES = f"host=127.0.0.1 port={pg_wire.serve(USERS)} user=demo dbname=demo"
MYSQL_PORT = mysql_wire.serve(USERS)


def db():
    conn = sqlite3.connect(":memory:")
    for statement in USERS:
        conn.execute(statement)
    return conn


def mysql():
    return pymysql.connect(host="127.0.0.1", port=MYSQL_PORT, user="demo", database="demo")


class RestrictedUnpickler(pickle.Unpickler):
    """Unpickles plain data only: no class or function may be loaded."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed")


def register(app):
    register_sql(app)
    register_nosql(app)
    register_command(app)
    register_code(app)
    register_path(app)
    register_ssrf(app)
    register_deserialization(app)


def register_sql(app):
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

    @app.route("/sqli-sqlalchemy-text")
    @case("SQL_INJECTION", True, params={"id": "1 OR 1=1"})
    def sqli_sqlalchemy_text():
        user_id = request.args.get("id", "")
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT name FROM users WHERE id = " + user_id)).all()  # report
        return {"rows": [list(row) for row in rows]}

    @app.route("/sqli-sqlalchemy-bound")
    @case("SQL_INJECTION", False, params={"id": "1 OR 1=1"})
    def sqli_sqlalchemy_bound():
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT name FROM users WHERE id = :id"), {"id": request.args.get("id", "")}).all()
        return {"rows": [list(row) for row in rows]}

    @app.route("/sqli-sqlalchemy-driver-sql")
    @case("SQL_INJECTION", True, params={"sort": "(CASE WHEN (SELECT 1)=1 THEN name ELSE id END)"})
    def sqli_sqlalchemy_driver_sql():
        column = request.args.get("sort", "id")
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(f"SELECT id, name FROM users ORDER BY {column}").all()  # report
        return {"rows": [list(row) for row in rows]}

    @app.route("/sqli-sqlalchemy-allowed-column")
    @case("SQL_INJECTION", False, params={"sort": "(CASE WHEN (SELECT 1)=1 THEN name ELSE id END)"})
    def sqli_sqlalchemy_allowed_column():
        column = ORDER_COLUMNS.get(request.args.get("sort", "id"), "id")
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(f"SELECT id, name FROM users ORDER BY {column}").all()
        return {"rows": [list(row) for row in rows]}

    @app.route("/sqli-psycopg2")
    @case("SQL_INJECTION", True, params={"name": "x' OR '1'='1"})
    def sqli_psycopg2():
        name = request.args.get("name", "")
        with closing(psycopg2.connect(POSTGRES)) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT id FROM users WHERE name = '%s'" % name)  # report
            return {"rows": cursor.fetchall()}

    @app.route("/sqli-psycopg2-parameter")
    @case("SQL_INJECTION", False, params={"name": "x' OR '1'='1"})
    def sqli_psycopg2_parameter():
        with closing(psycopg2.connect(POSTGRES)) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT id FROM users WHERE name = %s", (request.args.get("name", ""),))
            return {"rows": cursor.fetchall()}

    @app.route("/sqli-psycopg")
    @case("SQL_INJECTION", True, params={"id": "1 OR 1=1"})
    def sqli_psycopg():
        user_id = request.args.get("id", "")
        with psycopg.connect(POSTGRES) as conn:
            rows = conn.execute(f"SELECT name FROM users WHERE id = {user_id}").fetchall()  # report
        return {"rows": rows}

    @app.route("/sqli-psycopg-client-parameter")
    @case("SQL_INJECTION", False, params={"id": "1 OR 1=1"})
    def sqli_psycopg_client_parameter():
        # Parameters merged by the driver (the ClientCursor that poolers like pgbouncer need).
        with psycopg.connect(POSTGRES, cursor_factory=psycopg.ClientCursor) as conn:
            rows = conn.execute("SELECT name FROM users WHERE id = %s", (request.args.get("id", ""),)).fetchall()
        return {"rows": rows}

    @app.route("/sqli-pymysql")
    @case("SQL_INJECTION", True, params={"name": "x' OR '1'='1"})
    def sqli_pymysql():
        name = request.args.get("name", "")
        with closing(mysql()) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT id FROM users WHERE name = '%s'" % name)  # report
            return {"rows": cursor.fetchall()}

    @app.route("/sqli-pymysql-parameter")
    @case("SQL_INJECTION", False, params={"name": "x' OR '1'='1"})
    def sqli_pymysql_parameter():
        with closing(mysql()) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT id FROM users WHERE name = %s", (request.args.get("name", ""),))
            return {"rows": cursor.fetchall()}


def register_nosql(app):
    @app.route("/nosqli-mongo-operator", methods=["POST"])
    @case("NOSQL_INJECTION", True, method="POST", json={"username": "admin", "password": {"$ne": ""}})
    def nosqli_mongo_operator():
        login = request.get_json()
        try:
            user = users.find_one({"username": login["username"], "password": login["password"]})  # report
        except pymongo.errors.PyMongoError:
            return {"error": "database unavailable"}, 503
        return {"found": user is not None}

    @app.route("/nosqli-mongo-string", methods=["POST"])
    @case("NOSQL_INJECTION", False, method="POST", json={"username": "admin", "password": {"$ne": ""}})
    def nosqli_mongo_string():
        login = request.get_json()
        if not isinstance(login.get("password"), str):
            return {"error": "password must be a string"}, 400
        try:
            user = users.find_one({"username": str(login["username"]), "password": login["password"]})
        except pymongo.errors.PyMongoError:
            return {"error": "database unavailable"}, 503
        return {"found": user is not None}

    @app.route("/nosqli-mongo-where")
    @case("NOSQL_INJECTION", True, params={"age": "0 || this.role == 'admin'"})
    def nosqli_mongo_where():
        age = request.args.get("age", "0")
        try:
            count = users.count_documents({"$where": "this.age > " + age})  # report
        except pymongo.errors.PyMongoError:
            return {"error": "database unavailable"}, 503
        return {"count": count}

    @app.route("/nosqli-mongo-number")
    @case("NOSQL_INJECTION", False, params={"age": "0 || this.role == 'admin'"})
    def nosqli_mongo_number():
        try:
            age = int(request.args.get("age", "0"))
        except ValueError:
            return {"error": "age must be a number"}, 400
        try:
            count = users.count_documents({"age": {"$gt": age}})
        except pymongo.errors.PyMongoError:
            return {"error": "database unavailable"}, 503
        return {"count": count}


def register_command(app):
    @app.route("/cmdi-shell")
    @case("COMMAND_INJECTION", True, params={"host": SHELL_ATTACK})
    def cmdi_shell():
        host = request.args.get("host", "")
        status = subprocess.call("echo ping " + host + " > /dev/null", shell=True)  # report
        return {"status": status}

    @app.route("/cmdi-safe-quoted")
    @case("COMMAND_INJECTION", False, params={"host": SHELL_ATTACK})
    def cmdi_safe_quoted():
        host = shlex.quote(request.args.get("host", ""))
        return {"status": os.system("echo ping " + host + " > /dev/null")}

    @app.route("/cmdi-spawn-shell")
    @case("COMMAND_INJECTION", True, params={"host": SHELL_ATTACK})
    def cmdi_spawn_shell():
        host = request.args.get("host", "")
        status = os.spawnlp(os.P_WAIT, "sh", "sh", "-c", "echo ping " + host + " > /dev/null")  # report
        return {"status": status}

    @app.route("/cmdi-posix-spawn-shell")
    @case("COMMAND_INJECTION", True, params={"host": SHELL_ATTACK})
    def cmdi_posix_spawn_shell():
        command = "echo ping " + request.args.get("host", "") + " > /dev/null"
        pid = os.posix_spawnp("sh", ["sh", "-c", command], dict(os.environ))  # report
        return {"status": os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])}

    @app.route("/cmdi-posix-spawn-arguments")
    @case("COMMAND_INJECTION", False, params={"host": SHELL_ATTACK})
    def cmdi_posix_spawn_arguments():
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            pid = os.posix_spawnp("echo", ["echo", "ping", request.args.get("host", "")], dict(os.environ),
                                  file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
        finally:
            os.close(devnull)
        return {"status": os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])}

    @app.route("/cmdi-asyncio-shell")
    @case("COMMAND_INJECTION", True, params={"host": SHELL_ATTACK})
    def cmdi_asyncio_shell():
        host = request.args.get("host", "")

        async def ping():
            process = await asyncio.create_subprocess_shell("echo ping " + host, stdout=asyncio.subprocess.PIPE)  # report
            output, _ = await process.communicate()
            return output.decode()

        return {"output": asyncio.run(ping())}

    @app.route("/cmdi-asyncio-exec")
    @case("COMMAND_INJECTION", False, params={"host": SHELL_ATTACK})
    def cmdi_asyncio_exec():
        host = request.args.get("host", "")

        async def ping():
            process = await asyncio.create_subprocess_exec("echo", "ping", host, stdout=asyncio.subprocess.PIPE)
            output, _ = await process.communicate()
            return output.decode()

        return {"output": asyncio.run(ping())}


def register_code(app):
    @app.route("/codei-eval")
    @case("CODE_INJECTION", True, params={"expr": "__import__('os').name"})
    def codei_eval():
        expression = request.args.get("expr", "0")
        return {"result": str(eval(expression))}  # report

    @app.route("/codei-literal-eval")
    @case("CODE_INJECTION", False, params={"expr": "__import__('os').name"})
    def codei_literal_eval():
        try:
            return {"result": str(ast.literal_eval(request.args.get("expr", "0")))}
        except (ValueError, SyntaxError):
            return {"error": "not a literal"}, 400

    @app.route("/codei-exec-rule", methods=["POST"])
    @case("CODE_INJECTION", True, method="POST", form={"rule": "price * 0.9 if __import__('os') else 0"})
    def codei_exec_rule():
        # A pricing rule typed in an admin form, run without builtins: still any code.
        scope = {"price": 100}
        code = compile("total = " + request.form.get("rule", "price"), "<rule>", "exec")  # report
        try:
            exec(code, {"__builtins__": {}}, scope)
        except Exception as error:
            return {"error": type(error).__name__}, 400
        return {"total": scope.get("total")}

    @app.route("/codei-parse-only", methods=["POST"])
    @case("CODE_INJECTION", False, method="POST", form={"rule": "price * 0.9 if __import__('os') else 0"})
    def codei_parse_only():
        # Only parsed, to show the rule's syntax tree: nothing runs.
        tree = ast.parse(request.form.get("rule", "price"), mode="eval")
        return {"nodes": sum(1 for _ in ast.walk(tree))}


def register_path(app):
    @app.route("/path-open-join")
    @case("PATH_TRAVERSAL", True, params={"name": TRAVERSAL})
    def path_open_join():
        name = request.args.get("name", "report.txt")
        try:
            with open(os.path.join(FILES, name)) as document:  # report
                return {"content": document.read()}
        except OSError:
            abort(404)

    @app.route("/path-send-from-directory")
    @case("PATH_TRAVERSAL", False, params={"name": TRAVERSAL})
    def path_send_from_directory():
        return send_from_directory(FILES, request.args.get("name", "report.txt"))

    @app.route("/path-send-file")
    @case("PATH_TRAVERSAL", True, params={"name": TRAVERSAL})
    def path_send_file():
        name = request.args.get("name", "report.txt")
        return send_file(FILES + "/" + name, mimetype="text/plain")  # report

    @app.route("/path-pathlib")
    @case("PATH_TRAVERSAL", True, params={"name": TRAVERSAL})
    def path_pathlib():
        document = pathlib.Path(FILES) / request.args.get("name", "report.txt")
        try:
            return {"content": document.read_text()}  # report
        except OSError:
            abort(404)

    @app.route("/path-pathlib-contained")
    @case("PATH_TRAVERSAL", False, params={"name": TRAVERSAL})
    def path_pathlib_contained():
        base = pathlib.Path(FILES).resolve()
        document = (base / request.args.get("name", "report.txt")).resolve()
        if base not in document.parents:
            abort(404)
        return {"content": document.read_text()}

    @app.route("/path-listdir")
    @case("PATH_TRAVERSAL", True, params={"folder": ".."})
    def path_listdir():
        folder = os.path.join(FILES, request.args.get("folder", "archive"))
        return {"files": sorted(os.listdir(folder))}  # report

    @app.route("/path-listdir-inside")
    @case("PATH_TRAVERSAL", False, params={"folder": "archive/../archive"})
    def path_listdir_inside():
        # The request names a folder below `files/` in a roundabout way: it never leaves it.
        folder = os.path.join(FILES, request.args.get("folder", "archive"))
        return {"files": sorted(os.listdir(folder))}

    @app.route("/path-shutil-copy", methods=["POST"])
    @case("PATH_TRAVERSAL", True, method="POST", form={"name": "../exported.txt"})
    def path_shutil_copy():
        target = os.path.join(EXPORTS, request.form.get("name", "invoice.txt"))
        shutil.copyfile(os.path.join(FILES, "invoice-template.txt"), target)  # report
        return {"exported": True}

    @app.route("/path-shutil-copy-basename", methods=["POST"])
    @case("PATH_TRAVERSAL", False, method="POST", form={"name": "../exported.txt"})
    def path_shutil_copy_basename():
        target = os.path.join(EXPORTS, os.path.basename(request.form.get("name", "invoice.txt")))
        shutil.copyfile(os.path.join(FILES, "invoice-template.txt"), target)
        return {"exported": True}


def register_ssrf(app):
    @app.route("/ssrf-urlopen")
    @case("SSRF", True, params={"url": UNREACHABLE + "latest/meta-data"})
    def ssrf_urlopen():
        url = request.args.get("url", "")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # report
                return {"status": response.status}
        except urllib.error.URLError:
            return {"error": "unreachable"}, 502

    @app.route("/ssrf-urlopen-path")
    @case("SSRF", False, params={"item": "@169.254.169.254/latest"})
    def ssrf_urlopen_path():
        # The request picks an item, not where the request goes.
        url = UNREACHABLE + "items/" + request.args.get("item", "")
        try:
            with urllib.request.urlopen(urllib.request.Request(url), timeout=5) as response:
                return {"status": response.status}
        except urllib.error.URLError:
            return {"error": "unreachable"}, 502

    @app.route("/ssrf-requests")
    @case("SSRF", True, params={"webhook": UNREACHABLE + "admin"})
    def ssrf_requests():
        try:
            response = requests.post(request.args.get("webhook", ""), json={"event": "ping"}, timeout=5)  # report
            return {"status": response.status_code}
        except requests.RequestException:
            return {"error": "unreachable"}, 502

    @app.route("/ssrf-requests-params")
    @case("SSRF", False, params={"q": UNREACHABLE + "admin"})
    def ssrf_requests_params():
        try:
            response = requests.get(UNREACHABLE + "search", params={"q": request.args.get("q", "")}, timeout=5)
            return {"status": response.status_code}
        except requests.RequestException:
            return {"error": "unreachable"}, 502

    @app.route("/ssrf-httpx")
    @case("SSRF", True, params={"host": "127.0.0.1:1"})
    def ssrf_httpx():
        host = request.args.get("host", "")
        try:
            return {"status": httpx.get(f"http://{host}/health", timeout=5).status_code}  # report
        except httpx.HTTPError:
            return {"error": "unreachable"}, 502

    @app.route("/ssrf-http-client")
    @case("SSRF", True, params={"host": "127.0.0.1:1"})
    def ssrf_http_client():
        connection = http.client.HTTPConnection(request.args.get("host", ""), timeout=5)  # report
        try:
            connection.request("GET", "/health")
            return {"status": connection.getresponse().status}
        except OSError:
            return {"error": "unreachable"}, 502
        finally:
            connection.close()

    @app.route("/ssrf-aiohttp")
    @case("SSRF", True, params={"url": UNREACHABLE + "internal"})
    def ssrf_aiohttp():
        url = request.args.get("url", "")

        async def fetch():
            async with aiohttp.ClientSession() as client:
                async with client.get(url) as response:  # report
                    return response.status

        try:
            return {"status": asyncio.run(fetch())}
        except aiohttp.ClientError:
            return {"error": "unreachable"}, 502


def register_deserialization(app):
    @app.route("/deser-pickle", methods=["POST"])
    @case("UNTRUSTED_DESERIALIZATION", True, method="POST", data=PICKLE_CALL,
          headers={"Content-Type": "application/octet-stream"})
    def deser_pickle():
        state = pickle.loads(request.get_data())  # report
        return {"state": repr(state)}

    @app.route("/deser-pickle-restricted", methods=["POST"])
    @case("UNTRUSTED_DESERIALIZATION", False, method="POST", data=PICKLE_CALL,
          headers={"Content-Type": "application/octet-stream"})
    def deser_pickle_restricted():
        try:
            state = RestrictedUnpickler(io.BytesIO(request.get_data())).load()
        except pickle.UnpicklingError as error:
            return {"error": str(error)}, 400
        return {"state": repr(state)}

    @app.route("/deser-yaml-load", methods=["POST"])
    @case("UNTRUSTED_DESERIALIZATION", True, method="POST", form={"config": YAML_CALL})
    def deser_yaml_load():
        config = yaml.load(request.form.get("config", ""), Loader=yaml.Loader)  # report
        return {"config": repr(config)}

    @app.route("/deser-yaml-safe-load", methods=["POST"])
    @case("UNTRUSTED_DESERIALIZATION", False, method="POST", form={"config": YAML_CALL})
    def deser_yaml_safe_load():
        try:
            config = yaml.safe_load(request.form.get("config", ""))
        except yaml.YAMLError:
            return {"error": "not plain YAML"}, 400
        return {"config": repr(config)}

    @app.route("/deser-jsonpickle", methods=["POST"])
    @case("UNTRUSTED_DESERIALIZATION", True, method="POST", form={"cart": JSONPICKLE_CALL})
    def deser_jsonpickle():
        cart = jsonpickle.decode(request.form.get("cart", "null"))  # report
        return {"cart": repr(cart)}

    @app.route("/deser-json", methods=["POST"])
    @case("UNTRUSTED_DESERIALIZATION", False, method="POST", form={"cart": JSONPICKLE_CALL})
    def deser_json():
        # Plain JSON builds dicts and lists only, whatever keys the request sends.
        return {"cart": repr(json.loads(request.form.get("cart", "null")))}
