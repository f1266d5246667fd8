from flask import Flask

app = Flask(__name__)

# ruleid: python.flask.flask-wtf-csrf-disabled
app.config["WTF_CSRF_ENABLED"] = False

# ruleid: python.flask.flask-wtf-csrf-disabled
app.config.update(WTF_CSRF_ENABLED=False, SESSION_COOKIE_SECURE=True)


class ProductionConfig:
    # ruleid: python.flask.flask-wtf-csrf-disabled
    WTF_CSRF_ENABLED = False


# ok: python.flask.flask-wtf-csrf-disabled
app.config["WTF_CSRF_ENABLED"] = True

# ok: python.flask.flask-wtf-csrf-disabled
app.config["WTF_CSRF_TIME_LIMIT"] = 3600


class SafeConfig:
    # ok: python.flask.flask-wtf-csrf-disabled
    WTF_CSRF_ENABLED = True
