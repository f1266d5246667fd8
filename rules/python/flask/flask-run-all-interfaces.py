from flask import Flask

app = Flask(__name__)


def serve():
    # ruleid: python.flask.flask-run-all-interfaces
    app.run(host="0.0.0.0", port=5000)


def serve_positional():
    # ruleid: python.flask.flask-run-all-interfaces
    app.run("0.0.0.0", 8080)


def serve_local():
    # ok: python.flask.flask-run-all-interfaces
    app.run(host="127.0.0.1", port=5000)


def serve_default():
    # ok: python.flask.flask-run-all-interfaces
    app.run()
