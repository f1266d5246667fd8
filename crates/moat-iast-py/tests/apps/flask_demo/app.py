"""The Flask demo: vulnerable and safe endpoints for every class the agent checks.

Run it with the agent: `moat-iast run python -m flask --app app run`. Views live in
`views_*.py`, one module per area; `/__cases` lists the labelled endpoints.
"""

import os
import sys

from flask import Flask, jsonify

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from cases import CASES  # noqa: E402

app = Flask(__name__)
app.secret_key = os.environ.get("DEMO_SECRET_KEY", "demo-only-not-secret")


@app.after_request
def security_headers(response):
    # Every response is hardened, so the missing-header cases are the only ones reported.
    if not getattr(response, "demo_without_headers", False):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


@app.route("/__cases")
def list_cases():
    return jsonify(CASES)


for module in ("views_injection", "views_xml_crypto", "views_web", "views_flow"):
    try:
        views = __import__(module)
    except ModuleNotFoundError as error:
        if error.name != module:
            raise
        continue
    views.register(app)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]))
