import os
import secrets

from flask import Flask

app = Flask(__name__)

# ruleid: python.flask.flask-hardcoded-secret-key
app.secret_key = "dev-key-please-change"

# ruleid: python.flask.flask-hardcoded-secret-key
app.config["SECRET_KEY"] = "b7f3c0d9e1a2"

# ruleid: python.flask.flask-hardcoded-secret-key
app.config.update(SECRET_KEY="b7f3c0d9e1a2", DEBUG=False)

# ok: python.flask.flask-hardcoded-secret-key
app.secret_key = os.environ["FLASK_SECRET_KEY"]

# ok: python.flask.flask-hardcoded-secret-key
app.config["SECRET_KEY"] = secrets.token_hex(32)

# ok: python.flask.flask-hardcoded-secret-key
app.config["SESSION_COOKIE_NAME"] = "sid"
