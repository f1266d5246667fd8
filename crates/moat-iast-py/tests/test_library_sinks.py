"""Library and standard-library sinks in a real interpreter under `moat-iast run`: what
each reports, where, and that the hooked functions behave exactly as without the agent.

The demo app (`apps/flask_demo/views_injection.py`) shows each sink in a web endpoint;
these tests cover what an endpoint cannot show well: semantics kept, offsets, and
drivers whose server the tests cannot reach."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent

# A script's prelude: a request is open, `t(value, name)` taints like a query parameter.
PRELUDE = """\
from moat_iast import _context, _report
ctx = _context.start("GET", "/test")
def t(value, name="p"):
    return ctx.taint(value, "parameter", name)
"""


def script(body: str) -> str:
    """An application script: the prelude, `body`, then a wait for the report writer
    (a thread; the interpreter's exit does not wait for it)."""
    return PRELUDE + textwrap.dedent(body) + "_report.flush()\n"


def run(directory: Path, source: str, agent: bool = True, env: dict = None) -> tuple:
    """Runs `source` as `app.py` in `directory` (with the agent, as the application),
    returns its output lines and the reports it made."""
    (directory / "app.py").write_text(source)
    output = directory / "iast.jsonl"
    if output.exists():
        output.unlink()
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ["MOAT_IAST_OUTPUT"] = str(output)
    environ.update(env or {})
    command = [str(BIN / "moat-iast"), "run", sys.executable, "app.py"] if agent else [sys.executable, "app.py"]
    done = subprocess.run(command, cwd=directory, env=environ, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    reports = [json.loads(line) for line in output.read_text().splitlines()] if output.exists() else []
    return done.stdout.splitlines(), reports


def where(reports: list) -> list:
    return sorted((r["type"], r["location"]["line"]) for r in reports)


def line_of(source: str, marker: str) -> int:
    """The line of `source` that ends with `# marker`."""
    lines = source.splitlines()
    return next(i + 1 for i, text in enumerate(lines) if text.rstrip().endswith("# " + marker))


SEMANTICS = """\
import sys
results = []
g = 10


def f(a):
    b = 2
    results.append(eval("a + b + g"))
    exec("c = a * 2")
    try:
        results.append(eval("c"))
    except NameError:
        results.append("NameError")
    results.append(sorted(locals()))
    results.append(eval("  1 + 1"))
    results.append(eval(b"\\t3"))

    class C:
        q = 5
        results.append(eval("q"))
        exec("r = q + 1")
    results.append(C.r)
    try:
        eval("1 +")
    except SyntaxError as error:
        results.append(("SyntaxError", error.filename, error.lineno))
    results.append(eval("a", {"a": 99}))
    results.append(eval("a", None, {"a": 98}))
    z = [1, 2]
    try:
        results.append(eval("[i + a for i in z]"))
    except NameError as error:
        results.append(str(error))
    try:
        results.append(eval("a", globals=None, locals={"a": 7}))
    except TypeError as error:
        results.append(str(error))
    exec("def h(x: int): return x")
    results.append(str(locals().get("h") and locals()["h"].__annotations__))
    namespace = {}
    exec(compile("def k(x: int): pass", "<s>", "exec"), namespace)
    results.append(str(namespace["k"].__annotations__))


f(1)
exec("module_level = 1")
results.append(module_level)
print(repr(results))
"""


@pytest.mark.parametrize("future", ["", "from __future__ import annotations\n"])
def test_eval_exec_and_compile_behave_as_the_builtins(tmp_path, future):
    # The module lies outside the application roots: it runs as written, so only the
    # wrappers can make a difference (caller's namespaces, `__future__` flags, 3.13's
    # snapshot of a function's locals).
    library = tmp_path / "lib"
    library.mkdir()
    (library / "semantics.py").write_text(future + SEMANTICS)
    app = tmp_path / "app"
    app.mkdir()
    source = "import sys\nsys.path.insert(0, %r)\nimport semantics\n" % str(library)
    plain, _ = run(app, source, agent=False)
    hooked, reports = run(app, source)
    assert hooked == plain
    assert reports == []


def test_code_injection_reports_tainted_source_but_not_parsing(tmp_path):
    source = script("""
    import ast
    expression = t("__import__('os').name", "expr")
    print(eval(expression))  # eval
    print(ast.literal_eval(t("[1, 2]", "list")))
    print(len(ast.dump(ast.parse(expression))) > 0)
    exec(compile("x = " + expression, "<rule>", "exec"))  # compile
    print(eval("1 + 1"))
    """)
    out, reports = run(tmp_path, source)
    assert out == ["posix", "[1, 2]", "True", "2"]
    assert where(reports) == [("CODE_INJECTION", line_of(source, "eval")),
                              ("CODE_INJECTION", line_of(source, "compile"))]


def test_os_path_join_carries_taint_at_its_offsets(tmp_path):
    source = script("""
    import os
    name = t("a/b.txt", "name")
    for path in (os.path.join("/srv", name), os.path.join("/srv/", name), os.path.join(name, "x"),
                 os.path.join("/srv", "sub", name, "c"), os.path.join("/srv", t("/etc/passwd", "abs")),
                 os.path.join(b"/srv", t(b"x.bin", "raw"))):
        print(path, [(start, length) for start, length, _, _ in ctx.ranges(path)])
    print(os.path.join("/srv", "plain"), ctx.is_tainted(os.path.join("/srv", "plain")))
    """)
    out, reports = run(tmp_path, source)
    assert out == [
        "/srv/a/b.txt [(5, 7)]",
        "/srv/a/b.txt [(5, 7)]",
        "a/b.txt/x [(0, 7)]",
        "/srv/sub/a/b.txt/c [(9, 7)]",
        "/etc/passwd [(0, 11)]",
        "b'/srv/x.bin' [(5, 5)]",
        "/srv/plain False",
    ]
    assert reports == []


def test_file_functions_report_paths_that_leave_their_directory(tmp_path):
    (tmp_path / "files" / "sub").mkdir(parents=True)
    (tmp_path / "files" / "a.txt").write_text("public")
    (tmp_path / "secret.txt").write_text("secret")
    source = script("""
    import codecs, os, pathlib, shutil
    base = os.path.join(os.getcwd(), "files")
    print(open(os.path.join(base, t("../secret.txt"))).read())  # open
    print(open(os.path.join(base, t("sub/../a.txt"))).read())
    print(pathlib.Path(base, t("../secret.txt", "p2")).read_text())  # pathlib-args
    print((pathlib.Path(base) / t("a.txt", "p3")).read_text())
    print(pathlib.Path(base).joinpath(t("../secret.txt", "p4")).exists())  # pathlib-joinpath
    print(codecs.open(base + "/" + t("../secret.txt", "p5")).read())  # codecs
    os.makedirs(os.path.join(base, t("../made/deep", "p6")))  # makedirs
    shutil.copy(os.path.join(base, "a.txt"), os.path.join(base, t("../copied.txt", "p7")))  # copy
    print(sorted(os.listdir(os.path.join(base, t("sub/..", "p8")))))
    print(os.path.exists(os.path.join(base, t("../secret.txt", "p9"))))
    """)
    out, reports = run(tmp_path, source)
    assert out == ["secret", "public", "secret", "public", "True", "secret", "['a.txt', 'sub']", "True"]
    assert where(reports) == sorted(("PATH_TRAVERSAL", line_of(source, marker)) for marker in (
        "open", "pathlib-args", "pathlib-joinpath", "codecs", "makedirs", "copy"))
    # Reported where the application called, never inside a library or `<frozen os>`.
    assert {r["location"]["path"] for r in reports} == {"app.py"}
    evidence = {r["location"]["line"]: r["evidence"]["parts"] for r in reports}
    assert evidence[line_of(source, "pathlib-args")][-1]["value"] == "../secret.txt"


def test_hooked_os_functions_keep_their_capabilities(tmp_path):
    # `shutil.rmtree` is only symlink-safe when `os.open` and friends are in os.supports_dir_fd.
    source = textwrap.dedent("""
        import os, shutil
        print(shutil._use_fd_functions, os.open in os.supports_dir_fd, os.stat in os.supports_follow_symlinks)
        """)
    assert run(tmp_path, source)[0] == run(tmp_path, source, agent=False)[0]


def test_deserializers_report_request_data(tmp_path):
    source = script("""
    import io, marshal, pickle, shelve, yaml
    data = t(pickle.dumps([1, 2]), "state")
    print(pickle.loads(data))  # loads
    print(pickle.load(io.BytesIO(data)))  # load
    print(marshal.loads(t(marshal.dumps((1, 2)), "m")))  # marshal
    print(yaml.load(t("a: 1", "y1"), Loader=yaml.Loader))  # yaml
    print(yaml.unsafe_load(t("b: 2", "y2")))  # unsafe
    print(yaml.load(t("c: 3", "y3"), Loader=yaml.FullLoader), yaml.safe_load(t("d: 4", "y4")))
    with shelve.open(t("session-store", "sid")) as shelf:  # shelve
        shelf["k"] = 1
    print(pickle.loads(pickle.dumps("untainted")))
    """)
    out, reports = run(tmp_path, source)
    assert out == ["[1, 2]", "[1, 2]", "(1, 2)", "{'a': 1}", "{'b': 2}", "{'c': 3} {'d': 4}", "untainted"]
    assert where(reports) == sorted(("UNTRUSTED_DESERIALIZATION", line_of(source, marker)) for marker in (
        "loads", "load", "marshal", "yaml", "unsafe", "shelve"))


def test_mongo_filters_report_injected_operators_only(tmp_path):
    # `find` builds a cursor without contacting the server: the filter is checked first.
    source = script("""
    import pymongo
    users = pymongo.MongoClient("mongodb://127.0.0.1:1/", connect=False).demo.users
    ne = ctx.taint("$ne", "json", "password.$ne")
    users.find({"name": "admin", "password": {ne: ""}})  # operator
    users.find({"name": {"$eq": {ne: ""}}})
    users.find({"name": t("admin"), "tags": {"$in": [t("a1"), t("b2")]}})
    users.find({"$or": [{"a": 1}, {"$where": "this.a > " + t("0 || true", "age")}]})  # where
    users.find({"name": "admin"})
    print("built")
    """)
    out, reports = run(tmp_path, source)
    assert out == ["built"]
    assert where(reports) == [("NOSQL_INJECTION", line_of(source, "operator")),
                              ("NOSQL_INJECTION", line_of(source, "where"))]
    operator = next(r for r in reports if r["location"]["line"] == line_of(source, "operator"))
    assert operator["source"] == {"origin": "json", "name": "password.$ne"}


def test_psycopg_cursor_checks_the_statement_before_it_needs_the_server(tmp_path):
    source = script("""
    import psycopg
    from psycopg import pq
    # A connection still starting, as the driver holds it before the server answers.
    conn = psycopg.Connection(pq.PGconn.connect_start(b"host=127.0.0.1 port=1 dbname=demo"))
    for query in ("SELECT * FROM users WHERE id = " + t("1 OR 1=1", "id"),  # injected
                  "SELECT * FROM users WHERE id = " + t("42", "id2")):
        try:
            psycopg.Cursor(conn).execute(query)
        except psycopg.OperationalError as error:
            print(type(error).__name__)
    """)
    out, reports = run(tmp_path, source)
    assert out == ["OperationalError", "OperationalError"]
    assert where(reports) == [("SQL_INJECTION", line_of(source, "injected") + 3)]


def test_sqlalchemy_text_and_session_report_where_the_application_runs_sql(tmp_path):
    source = script("""
    from sqlalchemy import create_engine, text
    from sqlalchemy.orm import Session
    engine = create_engine("sqlite://")
    with Session(engine) as session:
        name = t("x' OR '1'='1", "name")
        rows = session.execute(text("SELECT '" + name + "' AS n")).all()  # session
        print(rows)
        print(session.execute(text("SELECT :n AS n"), {"n": name}).all())
    """)
    out, reports = run(tmp_path, source)
    assert out == ["[(1,)]", '[("x\' OR \'1\'=\'1",)]']
    assert where(reports) == [("SQL_INJECTION", line_of(source, "session"))]


def test_programs_started_without_a_shell(tmp_path):
    source = script("""
    import os, subprocess
    host = t("example.com; id", "host")
    subprocess.run(["sh", "-c", "true " + host + " > /dev/null"])  # sh-c
    subprocess.run(["echo", host], stdout=subprocess.DEVNULL)
    print(os.spawnlp(os.P_WAIT, "sh", "sh", "-c", "true " + host + " > /dev/null"))  # spawn
    print(os.spawnv(os.P_WAIT, t("/bin/true", "program"), ["true"]))  # program
    pid = os.posix_spawnp("bash", ["bash", "-ec", "true " + host + " > /dev/null"], dict(os.environ))  # posix
    print(os.waitpid(pid, 0)[1])
    """)
    out, reports = run(tmp_path, source)
    assert out == ["0", "0", "0"]
    assert where(reports) == sorted(("COMMAND_INJECTION", line_of(source, marker))
                                    for marker in ("sh-c", "spawn", "program", "posix"))
    assert {r["location"]["path"] for r in reports} == {"app.py"}


def test_psycopg2_cursors_of_every_factory_check_their_statements(tmp_path):
    # psycopg2's cursor is C code; the connection `connect` returns hands out checking
    # cursors whichever factory the application picks. `pg_wire` answers the queries.
    source = script("""
    import sys
    sys.path.insert(0, %r)
    import logging, pg_wire, psycopg2, psycopg2.extensions, psycopg2.extras
    port = pg_wire.serve(("CREATE TABLE users (id INTEGER, name TEXT)", "INSERT INTO users VALUES (1, 'alice')"))
    dsn = "host=127.0.0.1 port=%%d dbname=demo user=demo" %% port
    query = "SELECT id, name FROM users WHERE name = '" + t("x' OR '1'='1", "name") + "'"

    class Timed(psycopg2.extensions.cursor):
        pass

    conn = psycopg2.connect(dsn)
    cursor = conn.cursor()
    cursor.execute(query)  # plain
    print(type(cursor).__name__, isinstance(cursor, psycopg2.extensions.cursor), cursor.fetchall())
    cursor = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
    cursor.execute(query)  # real-dict
    print(type(cursor).__name__, [dict(row) for row in cursor.fetchall()])
    conn.cursor_factory = Timed
    cursor = conn.cursor()
    cursor.execute(query)  # attribute
    print(type(cursor).__name__, cursor.fetchall())
    conn.cursor().execute("SELECT id FROM users WHERE name = %%s", (t("x' OR '1'='1", "safe"),))
    logged = psycopg2.connect(dsn, connection_factory=psycopg2.extras.LoggingConnection)
    logged.initialize(logging.getLogger("sql"))
    cursor = logged.cursor()
    cursor.execute(query)  # logging
    print(type(cursor).__name__, cursor.fetchall())
    """ % str(Path(__file__).parent / "apps"))
    out, reports = run(tmp_path, source)
    assert out == ["cursor True [(1, 'alice')]", "RealDictCursor [{'id': 1, 'name': 'alice'}]",
                   "Timed [(1, 'alice')]", "LoggingCursor [(1, 'alice')]"]
    assert where(reports) == sorted(("SQL_INJECTION", line_of(source, marker))
                                    for marker in ("plain", "real-dict", "attribute", "logging"))
