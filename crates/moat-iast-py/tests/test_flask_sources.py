"""Flask and Werkzeug request data is tainted with its origin and name however the view
reads it, and response checks report where the application produced the response.
In-process, through Flask's test client: the hooks are installed as the agent does."""

import functools
import inspect
import io
import json
import os
import sys

import pytest

flask = pytest.importorskip("flask")
from flask import request  # noqa: E402
from flask.views import MethodView  # noqa: E402

from moat_iast import _config, _context, _flask, _report  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture()
def app(monkeypatch, tmp_path):
    # This file and the test's own directory (templates) are the application.
    monkeypatch.setenv("MOAT_IAST_APP_ROOTS", os.pathsep.join([HERE, str(tmp_path)]))
    monkeypatch.delenv("MOAT_IAST_SAMPLING", raising=False)
    _config.reset()
    for cache in (_flask._files, _flask._facts, _flask._functions):
        cache.clear()
    _flask.install(flask)
    _context.end()
    application = flask.Flask(__name__, template_folder=str(tmp_path))
    application.secret_key = "test"
    yield application
    _context.end()
    _config.reset()


@pytest.fixture(autouse=True)
def reports(monkeypatch):
    """What the checks report; nothing reaches the real writer."""
    found = []

    def emit(line):
        found.append(json.loads(line))
        return True

    monkeypatch.setattr(_report, "emit", emit)
    return found


def probe(app, source, rule="/probe"):
    """A client of `app` whose `rule` answers with the taint runs of `source()`."""

    def view(**kwargs):
        value = source(**kwargs)
        ctx = _context.current()
        return {"value": repr(value), "runs": ctx.ranges(value) if ctx is not None else None}

    app.add_url_rule(rule, "probe", view, methods=["GET", "POST", "PUT"])
    return app.test_client()


def runs_of(response):
    body = response.get_json()
    return None if body["runs"] is None else [tuple(run) for run in body["runs"]]


@pytest.mark.parametrize(
    "source",
    [
        lambda: request.args.get("term"),
        lambda: request.args["term"],
        lambda: request.args.get("term", type=str),
        lambda: request.args.getlist("term")[0],
        lambda: request.args.to_dict()["term"],
        lambda: dict(request.args.items())["term"],
        lambda: request.values.get("term"),
    ],
    ids=["get", "getitem", "get-type", "getlist", "to_dict", "items", "values"],
)
def test_query_parameters_are_tainted_through_every_accessor(app, source):
    response = probe(app, source).get("/probe?term=hello")
    assert runs_of(response) == [(0, 5, "parameter", "term")]


def test_parameter_names_are_the_clients_too(app):
    response = probe(app, lambda: next(iter(request.args))).get("/probe?order=1")
    assert runs_of(response) == [(0, 5, "parameter", "order")]


@pytest.mark.parametrize(
    "source",
    [lambda: request.form["term"], lambda: request.values["term"], lambda: request.form.to_dict()["term"]],
    ids=["form", "values", "to_dict"],
)
def test_form_fields_are_tainted(app, source):
    response = probe(app, source).post("/probe", data={"term": "hello"})
    assert runs_of(response) == [(0, 5, "parameter", "term")]


def test_form_is_tainted_when_the_files_were_read_first(app):
    def source():
        request.files.get("missing")
        return request.form["term"]

    response = probe(app, source).post("/probe", data={"term": "hello", "upload": (io.BytesIO(b"x"), "a.txt")})
    assert runs_of(response) == [(0, 5, "parameter", "term")]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (lambda: request.get_json()["user"]["name"], [(0, 5, "json", "user.name")]),
        (lambda: request.json["user"]["tags"][1], [(0, 6, "json", "user.tags.1")]),
        (lambda: next(iter(request.json)), [(0, 4, "json", "user")]),
        (lambda: (request.get_json(), request.get_json())[1]["user"]["name"], [(0, 5, "json", "user.name")]),
    ],
    ids=["nested", "list", "key", "cached"],
)
def test_json_keys_and_values_are_tainted_with_their_path(app, source, expected):
    body = {"user": {"name": "alice", "tags": ["staff", "admins"]}}
    response = probe(app, source).post("/probe", json=body)
    assert runs_of(response) == expected


def test_a_bare_json_string_is_named_by_the_root(app):
    response = probe(app, lambda: request.get_json()).post("/probe", json="alice")
    assert runs_of(response) == [(0, 5, "json", "$")]


@pytest.mark.parametrize(
    ("source", "value"),
    [
        (lambda: request.data, b"raw body"),
        (lambda: request.get_data(), b"raw body"),
        (lambda: request.get_data(as_text=True), "raw body"),
    ],
    ids=["data", "get_data", "as_text"],
)
def test_the_raw_body_is_tainted(app, source, value):
    response = probe(app, source).post("/probe", data=b"raw body", content_type="text/plain")
    assert response.get_json()["value"] == repr(value)
    assert runs_of(response) == [(0, 8, "body", "body")]


def test_cookies_are_tainted_with_their_name(app):
    client = probe(app, lambda: request.cookies["theme"])
    client.set_cookie("theme", "dark")
    assert runs_of(client.get("/probe")) == [(0, 4, "cookie", "theme")]


@pytest.mark.parametrize(
    "source",
    [
        lambda: request.headers.get("X-Client-Id"),
        lambda: request.headers["x-client-id"],
        lambda: request.headers.getlist("X-Client-Id")[0],
        lambda: dict(request.headers)["X-Client-Id"],
        lambda: request.environ["HTTP_X_CLIENT_ID"],
    ],
    ids=["get", "getitem", "getlist", "iteration", "environ"],
)
def test_headers_are_tainted_with_the_header_name(app, source):
    response = probe(app, source).get("/probe", headers={"X-Client-Id": "c-42"})
    assert runs_of(response) == [(0, 4, "header", "X-Client-Id")]


def test_the_client_parts_of_the_environ_are_tainted_and_the_servers_are_not(app):
    def source():
        environ = request.environ
        return [environ["PATH_INFO"], environ["QUERY_STRING"], environ["SERVER_PROTOCOL"], environ["REMOTE_ADDR"]]

    def view():
        ctx = _context.current()
        return {"runs": [ctx.ranges(value) for value in source()]}

    app.add_url_rule("/environ", "environ", view)
    runs = app.test_client().get("/environ?a=b").get_json()["runs"]
    assert runs == [[[0, 8, "environ", "PATH_INFO"]], [[0, 3, "environ", "QUERY_STRING"]], [], []]


def test_the_raw_query_string_is_tainted(app):
    response = probe(app, lambda: request.query_string).get("/probe?term=hello")
    assert runs_of(response) == [(0, 10, "query", "query_string")]


@pytest.mark.parametrize(
    "source", [lambda name, post: name, lambda name, post: request.view_args["name"]], ids=["argument", "view_args"]
)
def test_view_arguments_are_path_parameters(app, source):
    client = probe(app, source, rule="/users/<name>/posts/<int:post>")
    assert runs_of(client.get("/users/alice/posts/42")) == [(0, 5, "path_parameter", "name")]


def test_only_the_route_variables_of_the_path_are_tainted(app):
    client = probe(app, lambda name, post: request.path, rule="/users/<name>/posts/<int:post>")
    assert runs_of(client.get("/users/alice/posts/42")) == [
        (7, 5, "path_parameter", "name"),
        (19, 2, "path_parameter", "post"),
    ]


def test_a_path_without_route_variables_is_not_tainted(app):
    assert runs_of(probe(app, lambda: request.path, rule="/account/settings").get("/account/settings")) == []


def test_a_path_converter_spans_slashes(app):
    client = probe(app, lambda name: request.path, rule="/files/<path:name>")
    assert runs_of(client.get("/files/a/b/c.txt")) == [(7, 9, "path_parameter", "name")]


def test_full_path_and_url_taint_the_route_variables_and_the_query(app):
    def source(name):
        return [request.full_path, request.url, request.base_url]

    def view(name):
        ctx = _context.current()
        return {"values": source(name), "runs": [ctx.ranges(value) for value in source(name)]}

    app.add_url_rule("/users/<name>", "user", view)
    body = app.test_client().get("/users/alice?sort=new").get_json()
    full_path, url, base_url = body["values"]
    assert full_path == "/users/alice?sort=new"
    at = url.index("alice")
    assert body["runs"] == [
        [[7, 5, "path_parameter", "name"], [13, 8, "query", "query_string"]],
        [[at, 5, "path_parameter", "name"], [at + 6, 8, "query", "query_string"]],
        [[base_url.index("alice"), 5, "path_parameter", "name"]],
    ]


def test_uploads_taint_the_file_name_and_the_content_read(app):
    def view():
        upload = request.files["report"]
        ctx = _context.current()
        return {"name": ctx.ranges(upload.filename), "content": ctx.ranges(upload.read())}

    app.add_url_rule("/upload", "upload", view, methods=["POST"])
    body = app.test_client().post("/upload", data={"report": (io.BytesIO(b"id,name\n"), "users.csv")}).get_json()
    assert body == {"name": [[0, 9, "file", "report"]], "content": [[0, 8, "file", "report"]]}


def test_a_request_left_out_by_sampling_is_not_tracked(app, monkeypatch):
    monkeypatch.setenv("MOAT_IAST_SAMPLING", "0")
    _config.reset()
    assert runs_of(probe(app, lambda: request.args.get("term")).get("/probe?term=hello")) is None


def test_the_view_served_is_recorded(app):
    seen = []

    def show():
        seen.append(_context.request().view)
        return "ok"

    app.add_url_rule("/show", "show", show)
    app.test_client().get("/show")
    assert seen == [show]


def line_of(func, text):
    """The line of `func`'s source that holds `text`."""
    lines, first = inspect.getsourcelines(func)
    return first + next(i for i, line in enumerate(lines) if text in line)


def test_xss_of_a_returned_str_is_reported_at_the_return_that_ran(app, reports):
    def greet():
        name = request.args.get("name", "")
        page = "<p>Hello " + name
        # This file is not rewritten by the agent: the concatenation's taint by hand.
        _context.current().propagate_concat(page, "<p>Hello ", name)
        if name == "nobody":
            return "<p>Who?</p>"
        return page

    app.add_url_rule("/greet", "greet", greet)
    app.test_client().get("/greet?name=<b>x</b>")
    assert [r["type"] for r in reports] == ["XSS", "HSTS_HEADER_MISSING", "XCONTENTTYPE_HEADER_MISSING"]
    # Python 3.12+ says which `return` ran; before, a view with several gets its def line.
    expected = line_of(greet, "return page") if sys.version_info >= (3, 12) else line_of(greet, "def greet")
    assert reports[0]["location"] == {"path": "test_flask_sources.py", "line": expected}
    assert reports[0]["evidence"]["value"] == "<p>Hello <b>x</b>"


def test_xss_of_a_view_with_one_return_is_reported_there(app, reports):
    def greet():
        name = request.args.get("name", "")
        page = "<p>Hello " + name
        _context.current().propagate_concat(page, "<p>Hello ", name)
        return page

    app.add_url_rule("/greet", "greet", greet)
    app.after_request(_hardened)
    app.test_client().get("/greet?name=<b>x</b>")
    assert [(r["type"], r["location"]["line"]) for r in reports] == [("XSS", line_of(greet, "return page"))]


def test_response_checks_of_a_class_based_view_point_at_its_method(app, reports):
    class Account(MethodView):
        def get(self):
            return "<h1>Account</h1>"

    app.add_url_rule("/account", view_func=Account.as_view("account"))
    app.test_client().get("/account")
    kinds = sorted(r["type"] for r in reports)
    assert kinds == ["HSTS_HEADER_MISSING", "XCONTENTTYPE_HEADER_MISSING"]
    assert {r["location"]["line"] for r in reports} == {line_of(Account.get, "def get")}
    assert {r["location"]["path"] for r in reports} == {"test_flask_sources.py"}


def test_response_checks_of_a_decorated_view_point_at_its_def_line(app, reports):
    def logged(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        return wrapper

    @logged
    def home():
        return "<h1>Home</h1>"

    app.add_url_rule("/home", "home", home)
    app.test_client().get("/home")
    assert {r["location"]["line"] for r in reports} == {line_of(home.__wrapped__, "def home")}


def test_safe_filter_in_a_template_file_is_reported_at_the_template_line(app, reports, tmp_path):
    (tmp_path / "profile.html").write_text("<h1>Profile</h1>\n<div>{{ bio|safe }}</div>\n")

    def profile():
        return flask.render_template("profile.html", bio=request.args.get("bio", ""))

    app.add_url_rule("/profile", "profile", profile)
    app.after_request(_hardened)
    app.test_client().get("/profile?bio=<script>alert(1)</script>")
    assert [(r["type"], r["location"]) for r in reports] == [("XSS", {"path": "profile.html", "line": 2})]


def test_werkzeug_still_refuses_a_header_with_a_newline(app, reports):
    def lang():
        response = flask.make_response({"ok": True})
        response.headers["Content-Language"] = request.args["lang"]
        return response

    app.add_url_rule("/lang", "lang", lang)
    app.testing = True
    with pytest.raises(ValueError, match="newline"):
        app.test_client().get("/lang", query_string={"lang": "en\r\nSet-Cookie: a=b"})
    assert [r["type"] for r in reports] == ["HEADER_INJECTION"]


def test_cookies_flask_sets_and_deleted_cookies_are_not_reported(app, reports):
    def login():
        flask.session["user"] = "alice"
        response = flask.make_response({"ok": True})
        response.delete_cookie("theme")
        return response

    app.add_url_rule("/login", "login", login)
    response = app.test_client().get("/login")
    assert "session=" in " ".join(response.headers.getlist("Set-Cookie"))
    assert reports == []


def _hardened(response):
    response.headers["Strict-Transport-Security"] = "max-age=31536000"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
