"""Flask as a source and as a sink: every kind of request data reaching an SQL query,
and what the response itself can get wrong (XSS, template injection, header injection,
open redirects, the session, cookies, security headers, stack traces)."""

import random
import secrets
import sqlite3
import string
import traceback

from flask import (
    Response,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template_string,
    request,
    session,
)
from markupsafe import Markup, escape

from cases import case

# A classic tautology: `name = 'x' OR '1'='1'` matches every row.
TAUTOLOGY = "x' OR '1'='1"
# The same without spaces, for where a space cannot go (a cookie, a path segment).
TIGHT_TAUTOLOGY = "x'OR'1'='1"
SCRIPT = "<script>alert(document.cookie)</script>"
HEADER_SPLIT = "en\r\nSet-Cookie: role=admin"
BOUNDARY = "moat-demo-boundary"
UPLOAD = (
    f"--{BOUNDARY}\r\n"
    f"Content-Disposition: form-data; name=\"report\"; filename=\"{TAUTOLOGY}.csv\"\r\n"
    "Content-Type: text/csv\r\n\r\n"
    "id,name\r\n1,alice\r\n"
    f"--{BOUNDARY}--\r\n"
)
LANGUAGES = {"en": "en", "fr": "fr", "de": "de"}


def db():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE users (id INTEGER, name TEXT)")
    conn.execute("INSERT INTO users VALUES (1, 'alice'), (2, 'bob')")
    conn.execute("CREATE TABLE visits (page TEXT, hits INTEGER)")
    conn.execute("INSERT INTO visits VALUES ('/source-path/alice', 3), ('source-path-section', 7)")
    return conn


def register(app):
    # -- Sources: each kind of request data reaches the same vulnerable query ----------

    @app.route("/source-header")
    @case("SQL_INJECTION", True, headers={"X-User": TAUTOLOGY})
    def source_header():
        name = request.headers.get("X-User", "")
        rows = db().execute("SELECT id FROM users WHERE name = '" + name + "'").fetchall()  # report
        return {"rows": rows}

    @app.route("/source-header-environ")
    @case("SQL_INJECTION", True, headers={"X-User": TAUTOLOGY})
    def source_header_environ():
        name = request.environ.get("HTTP_X_USER", "")
        rows = db().execute(f"SELECT id FROM users WHERE name = '{name}'").fetchall()  # report
        return {"rows": rows}

    @app.route("/source-header-safe")
    @case("SQL_INJECTION", False, headers={"X-User": TAUTOLOGY})
    def source_header_safe():
        rows = db().execute("SELECT id FROM users WHERE name = ?", (request.headers.get("X-User", ""),)).fetchall()
        return {"rows": rows}

    @app.route("/source-cookie")
    @case("SQL_INJECTION", True, cookies={"user": TIGHT_TAUTOLOGY})
    def source_cookie():
        name = request.cookies.get("user", "")
        rows = db().execute("SELECT id FROM users WHERE name = '%s'" % name).fetchall()  # report
        return {"rows": rows}

    @app.route("/source-json", methods=["POST"])
    @case("SQL_INJECTION", True, method="POST", json={"user": {"name": TAUTOLOGY}})
    def source_json():
        name = request.get_json()["user"]["name"]
        rows = db().execute("SELECT id FROM users WHERE name = '" + name + "'").fetchall()  # report
        return {"rows": rows}

    @app.route("/source-json-key", methods=["POST"])
    @case("SQL_INJECTION", True, method="POST", json={"name = 'alice' OR 1": 1})
    def source_json_key():
        # Filters built from the body's keys: the column names are the client's.
        filters = request.json
        where = " AND ".join(column + " = ?" for column in filters)
        rows = db().execute("SELECT id FROM users WHERE " + where, tuple(filters.values())).fetchall()  # report
        return {"rows": rows}

    @app.route("/source-view-arg/<name>")
    @case("SQL_INJECTION", True, path="/source-view-arg/" + TIGHT_TAUTOLOGY)
    def source_view_arg(name):
        rows = db().execute("SELECT id FROM users WHERE name = '" + name + "'").fetchall()  # report
        return {"rows": rows}

    @app.route("/source-view-arg-safe/<name>")
    @case("SQL_INJECTION", False, path="/source-view-arg-safe/" + TIGHT_TAUTOLOGY)
    def source_view_arg_safe(name):
        rows = db().execute("SELECT id FROM users WHERE name = ?", (name,)).fetchall()
        return {"rows": rows}

    @app.route("/source-path/<name>")
    @case("SQL_INJECTION", True, path="/source-path/" + TIGHT_TAUTOLOGY)
    def source_path(name):
        # The page's hit counter, keyed by the whole path: the route variable is in it.
        rows = db().execute("SELECT hits FROM visits WHERE page = '" + request.path + "'").fetchall()  # report
        return {"rows": rows}

    @app.route("/source-path-section/<name>")
    @case("SQL_INJECTION", False, path="/source-path-section/" + TIGHT_TAUTOLOGY)
    def source_path_section(name):
        # Only the route's literal first segment reaches the query: fixed by the route.
        section = request.path.split("/")[1]
        rows = db().execute("SELECT hits FROM visits WHERE page = '" + section + "'").fetchall()
        return {"rows": rows}

    @app.route("/source-form", methods=["POST"])
    @case("SQL_INJECTION", True, method="POST", form={"name": TAUTOLOGY})
    def source_form():
        name = request.form["name"]
        rows = db().execute("SELECT id FROM users WHERE name = '" + name + "'").fetchall()  # report
        return {"rows": rows}

    @app.route("/source-values", methods=["POST"])
    @case("SQL_INJECTION", True, method="POST", form={"name": TAUTOLOGY})
    def source_values():
        name = request.values.get("name", "")
        rows = db().execute("SELECT id FROM users WHERE name = '" + name + "'").fetchall()  # report
        return {"rows": rows}

    @app.route("/source-args-dict")
    @case("SQL_INJECTION", True, params={"name": TAUTOLOGY})
    def source_args_dict():
        name = request.args.to_dict()["name"]
        rows = db().execute("SELECT id FROM users WHERE name = '" + name + "'").fetchall()  # report
        return {"rows": rows}

    @app.route("/source-data", methods=["POST"])
    @case("SQL_INJECTION", True, method="POST", data=TAUTOLOGY, headers={"Content-Type": "text/plain"})
    def source_data():
        name = request.get_data(as_text=True)
        rows = db().execute("SELECT id FROM users WHERE name = '" + name + "'").fetchall()  # report
        return {"rows": rows}

    @app.route("/source-file", methods=["POST"])
    @case("SQL_INJECTION", True, method="POST", data=UPLOAD,
          headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    def source_file():
        upload = request.files["report"]
        lines = upload.read().count(b"\n")
        name = upload.filename.rsplit(".", 1)[0]
        rows = db().execute("SELECT id FROM users WHERE name = '" + name + "'").fetchall()  # report
        return {"rows": rows, "lines": lines}

    @app.route("/source-file-safe", methods=["POST"])
    @case("SQL_INJECTION", False, method="POST", data=UPLOAD,
          headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    def source_file_safe():
        name = request.files["report"].filename.rsplit(".", 1)[0]
        rows = db().execute("SELECT id FROM users WHERE name = ?", (name,)).fetchall()
        return {"rows": rows}

    # -- XSS: request data in an HTML response -----------------------------------------

    @app.route("/xss-returned")
    @case("XSS", True, params={"name": SCRIPT})
    def xss_returned():
        name = request.args.get("name", "")
        return "<p>Hello " + name + "</p>"  # report

    @app.route("/xss-make-response")
    @case("XSS", True, params={"name": SCRIPT})
    def xss_make_response():
        name = request.args.get("name", "")
        response = make_response(f"<h1>Results for {name}</h1>")  # report
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.route("/xss-response")
    @case("XSS", True, params={"name": SCRIPT})
    def xss_response():
        name = request.args.get("name", "")
        return Response("<p>Welcome back, %s</p>" % name, mimetype="text/html")  # report

    @app.route("/xss-markup")
    @case("XSS", True, params={"bio": SCRIPT})
    def xss_markup():
        bio = Markup("<div class=bio>" + request.args.get("bio", "") + "</div>")  # report
        return render_template_string("<section>{{ bio }}</section>", bio=bio)

    @app.route("/xss-safe-filter")
    @case("XSS", True, params={"bio": SCRIPT})
    def xss_safe_filter():
        bio = request.args.get("bio", "")
        return render_template_string("<div>{{ bio|safe }}</div>", bio=bio)  # report

    @app.route("/xss-safe-escaped")
    @case("XSS", False, params={"name": SCRIPT})
    def xss_safe_escaped():
        name = request.args.get("name", "")
        return f"<p>Hello {escape(name)}</p>"

    @app.route("/xss-safe-autoescape")
    @case("XSS", False, params={"name": SCRIPT})
    def xss_safe_autoescape():
        return render_template_string("<p>Hello {{ name }}</p>", name=request.args.get("name", ""))

    @app.route("/xss-safe-json")
    @case("XSS", False, params={"name": SCRIPT})
    def xss_safe_json():
        return jsonify(greeting="Hello " + request.args.get("name", ""))

    @app.route("/xss-safe-plain-text")
    @case("XSS", False, params={"name": SCRIPT})
    def xss_safe_plain_text():
        return Response("Hello " + request.args.get("name", ""), mimetype="text/plain")

    @app.route("/xss-safe-retyped")
    @case("XSS", False, params={"name": SCRIPT})
    def xss_safe_retyped():
        # Built as HTML, then served as plain text: the browser renders no markup.
        response = make_response("Hello " + request.args.get("name", ""))
        response.mimetype = "text/plain"
        return response

    # -- Server-side template injection --------------------------------------------------

    @app.route("/template-injection")
    @case("CODE_INJECTION", True, params={"name": "{{ config.SECRET_KEY }}"})
    def template_injection():
        name = request.args.get("name", "")
        return render_template_string("<p>Hello " + name + "</p>")  # report

    @app.route("/template-safe-context")
    @case("CODE_INJECTION", False, params={"name": "{{ config.SECRET_KEY }}"})
    def template_safe_context():
        return render_template_string("<p>Hello {{ name }}</p>", name=request.args.get("name", ""))

    # -- Header injection ------------------------------------------------------------------

    @app.route("/header-injection")
    @case("HEADER_INJECTION", True, params={"lang": HEADER_SPLIT})
    def header_injection():
        response = make_response({"ok": True})
        response.headers["Content-Language"] = request.args.get("lang", "en")  # report
        return response

    @app.route("/header-injection-returned")
    @case("HEADER_INJECTION", True, params={"lang": HEADER_SPLIT})
    def header_injection_returned():
        lang = request.args.get("lang", "en")
        return {"ok": True}, 200, {"Content-Language": lang}  # report

    @app.route("/header-safe-stripped")
    @case("HEADER_INJECTION", False, params={"lang": HEADER_SPLIT})
    def header_safe_stripped():
        lang = request.args.get("lang", "en").replace("\r", "").replace("\n", "")
        response = make_response({"ok": True})
        response.headers["Content-Language"] = lang
        return response

    # -- Open redirects ---------------------------------------------------------------------

    # The vulnerable redirects answer a POST with 307 and a PUT with 303, which the test
    # client does not follow to the attacker's (unresolvable) host.
    @app.route("/redirect-next", methods=["POST"])
    @case("UNVALIDATED_REDIRECT", True, method="POST", params={"next": "https://evil.example/login"},
          form={"user": "alice"})
    def redirect_next():
        # Signed in: on to where the user was going, with the form (307 keeps the POST).
        return redirect(request.args.get("next", "/"), code=307)  # report

    @app.route("/redirect-location-header", methods=["PUT"])
    @case("UNVALIDATED_REDIRECT", True, method="PUT", params={"to": "//evil.example/settings"},
          json={"theme": "dark"})
    def redirect_location_header():
        target = request.args.get("to", "/")
        return Response(status=303, headers={"Location": target})  # report

    @app.route("/redirect-safe-path")
    @case("UNVALIDATED_REDIRECT", False, params={"tab": "//evil.example"})
    def redirect_safe_path():
        return redirect("/account/" + request.args.get("tab", "profile"))

    @app.route("/redirect-safe-allowlist")
    @case("UNVALIDATED_REDIRECT", False, params={"next": "https://evil.example/login"})
    def redirect_safe_allowlist():
        pages = {"home": "/", "account": "/account"}
        return redirect(pages.get(request.args.get("next", ""), "/"))

    # -- Trust boundary: request data in the session ----------------------------------------

    @app.route("/session-store")
    @case("TRUST_BOUNDARY_VIOLATION", True, params={"user": "admin"})
    def session_store():
        session["user"] = request.args.get("user", "")  # report
        return {"ok": True}

    @app.route("/session-store-nested")
    @case("TRUST_BOUNDARY_VIOLATION", True, params={"role": "admin"})
    def session_store_nested():
        session.update(profile={"roles": [request.args.get("role", "guest")]})  # report
        return {"ok": True}

    @app.route("/session-safe-mapped")
    @case("TRUST_BOUNDARY_VIOLATION", False, params={"lang": "admin"})
    def session_safe_mapped():
        session["lang"] = LANGUAGES.get(request.args.get("lang", ""), "en")
        return {"ok": True}

    # -- Cookie flags ----------------------------------------------------------------------

    @app.route("/cookie-insecure")
    @case("INSECURE_COOKIE", True)
    def cookie_insecure():
        response = make_response({"ok": True})
        response.set_cookie("theme", "dark", httponly=True, samesite="Lax")  # report
        return response

    @app.route("/cookie-no-httponly")
    @case("NO_HTTPONLY_COOKIE", True)
    def cookie_no_httponly():
        response = make_response({"ok": True})
        response.set_cookie("theme", "dark", secure=True, samesite="Strict")  # report
        return response

    @app.route("/cookie-no-samesite")
    @case("NO_SAMESITE_COOKIE", True)
    def cookie_no_samesite():
        response = make_response({"ok": True})
        response.set_cookie("theme", "dark", secure=True, httponly=True)  # report
        return response

    # -- Weak randomness ---------------------------------------------------------------

    @app.route("/random-session-token")
    @case("WEAK_RANDOMNESS", True)
    def random_session_token():
        response = make_response({"ok": True})
        token = "%032x" % random.getrandbits(128)
        response.set_cookie("token", token, secure=True, httponly=True, samesite="Lax")  # report
        return response

    @app.route("/random-reset-code")
    @case("WEAK_RANDOMNESS", True)
    def random_reset_code():
        code = "".join(random.choice(string.ascii_letters + string.digits) for _ in range(12))
        session["reset_code"] = code  # report
        return {"sent": True}

    @app.route("/secrets-session-token")
    @case("WEAK_RANDOMNESS", False)
    def secrets_session_token():
        response = make_response({"ok": True})
        response.set_cookie("token", secrets.token_hex(16), secure=True, httponly=True, samesite="Lax")
        return response

    @app.route("/random-for-display")
    @case("WEAK_RANDOMNESS", False)
    def random_for_display():
        # Shuffling tips for display is not security: nothing to report.
        tips = ["stretch", "hydrate", "sleep well"]
        random.shuffle(tips)
        response = make_response({"tip_count": len(tips), "lucky": random.randint(1, 6) > 0})
        response.set_cookie("theme", "dark", secure=True, httponly=True, samesite="Lax")
        return response

    @app.route("/cookie-samesite-none")
    @case("NO_SAMESITE_COOKIE", True)
    def cookie_samesite_none():
        response = make_response({"ok": True})
        response.set_cookie("theme", "dark", secure=True, httponly=True, samesite="None")  # report
        return response

    @app.route("/cookie-safe-flags")
    @case("INSECURE_COOKIE", False)
    def cookie_safe_flags():
        response = make_response({"ok": True})
        response.set_cookie("theme", "dark", secure=True, httponly=True, samesite="Lax")
        return response

    @app.route("/cookie-safe-deleted")
    @case("NO_HTTPONLY_COOKIE", False)
    def cookie_safe_deleted():
        response = make_response({"ok": True})
        response.delete_cookie("theme")
        return response

    # -- Security headers of HTML responses ------------------------------------------------

    @app.route("/hsts-missing")
    @case("HSTS_HEADER_MISSING", True)
    def hsts_missing():  # report
        response = make_response("<h1>Account</h1>")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.demo_without_headers = True
        return response

    @app.route("/hsts-disabled")
    @case("HSTS_HEADER_MISSING", True)
    def hsts_disabled():  # report
        response = make_response("<h1>Account</h1>")
        response.headers["Strict-Transport-Security"] = "max-age=0"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.demo_without_headers = True
        return response

    @app.route("/hsts-safe-json")
    @case("HSTS_HEADER_MISSING", False)
    def hsts_safe_json():
        # Not HTML: a browser never renders it as a page.
        response = jsonify(account="alice")
        response.demo_without_headers = True
        return response

    @app.route("/xcontenttype-missing")
    @case("XCONTENTTYPE_HEADER_MISSING", True)
    def xcontenttype_missing():  # report
        response = make_response("<h1>Account</h1>")
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
        response.demo_without_headers = True
        return response

    @app.route("/xcontenttype-safe")
    @case("XCONTENTTYPE_HEADER_MISSING", False)
    def xcontenttype_safe():
        # The application's after-request handler sets both headers.
        return "<h1>Account</h1>"

    # -- Stack traces in responses ---------------------------------------------------------

    @app.route("/stacktrace-leak")
    @case("STACKTRACE_LEAK", True, params={"count": "ten"})
    def stacktrace_leak():  # report
        try:
            count = int(request.args.get("count", "1"))
        except ValueError:
            return Response(traceback.format_exc(), status=400, mimetype="text/plain")
        return {"count": count}

    @app.route("/stacktrace-safe-logged")
    @case("STACKTRACE_LEAK", False, params={"count": "ten"})
    def stacktrace_safe_logged():
        try:
            count = int(request.args.get("count", "1"))
        except ValueError:
            current_app.logger.info("bad count: %s", traceback.format_exc(limit=1))
            return {"error": "count must be a number"}, 400
        return {"count": count}
