import os

from flask import Flask

app = Flask(__name__)

if __name__ == "__main__":
    # ruleid: python.flask.flask-debug-enabled
    app.run(host="0.0.0.0", debug=True)


def main():
    # ruleid: python.flask.flask-debug-enabled
    app.run(debug=True, port=8000)


def main_env():
    # ok: python.flask.flask-debug-enabled
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")


def main_plain():
    # ok: python.flask.flask-debug-enabled
    app.run(port=8000)


def main_off():
    # ok: python.flask.flask-debug-enabled
    app.run(debug=False)
