from flask import Flask, make_response

app = Flask(__name__)

COOKIE_OPTIONS = {"secure": True, "httponly": True, "samesite": "Strict"}


@app.route("/login")
def login():
    response = make_response("ok")
    # ruleid: python.flask.flask-cookie-insecure
    response.set_cookie("session_id", "abc123")
    return response


@app.route("/remember")
def remember():
    response = make_response("ok")
    # ruleid: python.flask.flask-cookie-insecure
    response.set_cookie("remember", "1", secure=True, httponly=False, samesite="Lax")
    return response


@app.route("/prefs")
def prefs():
    response = make_response("ok")
    # ruleid: python.flask.flask-cookie-insecure
    response.set_cookie("theme", "dark", httponly=True)
    return response


@app.route("/login-safe")
def login_safe():
    response = make_response("ok")
    # ok: python.flask.flask-cookie-insecure
    response.set_cookie("session_id", "abc123", secure=True, httponly=True, samesite="Lax")
    return response


@app.route("/login-config")
def login_config():
    response = make_response("ok")
    # ok: python.flask.flask-cookie-insecure
    response.set_cookie("session_id", "abc123", **COOKIE_OPTIONS)
    return response


@app.route("/login-ordered")
def login_ordered():
    response = make_response("ok")
    # ok: python.flask.flask-cookie-insecure
    response.set_cookie(key="sid", value="v", samesite="Strict", httponly=True, secure=True)
    return response


def copy_cookies(jar, cookies):
    for cookie in cookies:
        # ok: python.flask.flask-cookie-insecure
        jar.set_cookie(cookie)
