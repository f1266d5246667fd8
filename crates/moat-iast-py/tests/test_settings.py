"""The agent's settings, observed from outside: a real app, real requests, the report file."""

import textwrap
import time
import urllib.request

import pytest

from demo import Demo

APP = '''
    import sqlite3
    from flask import Flask, request

    app = Flask(__name__)
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.execute("CREATE TABLE t (id INTEGER)")

    @app.after_request
    def hardened(response):
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @app.route("/__cases")
    def cases():
        return {"cases": []}

    @app.route("/one")
    def one():
        conn.execute("SELECT * FROM t WHERE id = " + request.args["id"])
        return "ok"

    @app.route("/five")
    def five():
        v = request.args["id"]
        conn.execute("SELECT * FROM t WHERE id = " + v)
        conn.execute("SELECT id FROM t WHERE id = " + v)
        conn.execute("SELECT 1 FROM t WHERE id = " + v)
        conn.execute("SELECT 2 FROM t WHERE id = " + v)
        conn.execute("SELECT 3 FROM t WHERE id = " + v)
        return "ok"
'''


@pytest.fixture()
def app_dir(tmp_path):
    directory = tmp_path / "app"
    directory.mkdir()
    (directory / "app.py").write_text(textwrap.dedent(APP))
    return directory


def serve(app_dir, env, wrapper=True):
    return Demo(app_dir, ["-m", "flask", "--app", "app", "run", "--port", "{port}"], app_dir / "iast.jsonl",
                env=env, wrapper=wrapper)


def hit(demo, path, times=1):
    for _ in range(times):
        urllib.request.urlopen(f"{demo.base}{path}?id=1%20OR%201=1", timeout=5).read()


def settle(demo, at_least=1):
    """Waits for the background writer: until `at_least` reports, then a little more."""
    demo.wait_for(lambda found: len(found) >= at_least, timeout=10)
    time.sleep(0.3)
    return demo.reports()


def test_one_vulnerability_is_reported_once_unless_deduplication_is_off(app_dir):
    with serve(app_dir, {}) as demo:
        hit(demo, "/one", 3)
        assert len(settle(demo)) == 1
    (app_dir / "iast.jsonl").unlink()
    with serve(app_dir, {"MOAT_IAST_DEDUPLICATE": "false"}) as demo:
        hit(demo, "/one", 3)
        assert len(settle(demo, 3)) == 3


def test_reports_per_request_are_capped(app_dir):
    with serve(app_dir, {"MOAT_IAST_MAX_PER_REQUEST": "2"}) as demo:
        hit(demo, "/five")
        assert len(settle(demo, 2)) == 2
    (app_dir / "iast.jsonl").unlink()
    with serve(app_dir, {}) as demo:
        hit(demo, "/five")
        assert len(settle(demo, 5)) == 5


def test_sampling_analyses_that_share_of_requests(app_dir):
    with serve(app_dir, {"MOAT_IAST_SAMPLING": "0"}) as demo:
        hit(demo, "/one", 20)
        time.sleep(0.5)
        assert demo.reports() == []
    with serve(app_dir, {"MOAT_IAST_SAMPLING": "50", "MOAT_IAST_DEDUPLICATE": "false"}) as demo:
        hit(demo, "/one", 200)
        count = len(settle(demo, 50))
        # Binomial(200, 0.5): outside 60..140 once in about 10^8 runs.
        assert 60 <= count <= 140, count


def test_datadog_variable_starts_the_agent_without_the_wrapper(app_dir):
    with serve(app_dir, {"DD_IAST_ENABLED": "true"}, wrapper=False) as demo:
        hit(demo, "/one")
        assert [r["type"] for r in settle(demo)] == ["SQL_INJECTION"]
    (app_dir / "iast.jsonl").unlink()
    with serve(app_dir, {"MOAT_IAST_ENABLED": "false"}, wrapper=False) as demo:
        hit(demo, "/one")
        time.sleep(0.5)
        assert demo.reports() == []
