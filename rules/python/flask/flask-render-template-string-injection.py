import flask
from flask import Flask, render_template, render_template_string, request

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    # ruleid: python.flask.flask-render-template-string-injection
    return render_template_string(f"<h1>Hello {name}</h1>")


@app.route("/page")
def page():
    body = request.form["body"]
    # ruleid: python.flask.flask-render-template-string-injection
    return flask.render_template_string("<div>" + body + "</div>")


@app.route("/hello-safe")
def hello_safe():
    name = request.args.get("name", "")
    # ok: python.flask.flask-render-template-string-injection
    return render_template_string("<h1>Hello {{ name }}</h1>", name=name)


@app.route("/hello-file")
def hello_file():
    name = request.args.get("name", "")
    # ok: python.flask.flask-render-template-string-injection
    return render_template("hello.html", name=name)
