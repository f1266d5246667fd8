"""The Django demo project under `moat-iast run python manage.py runserver`, every
labelled endpoint requested over real HTTP: each vulnerable one reported with its type,
file, line and route, nothing else."""

import json
import os
import signal
import urllib.request
from pathlib import Path

import pytest

from demo import Demo, check_catalogue

APP = Path(__file__).parent / "apps" / "django_demo"
RUNSERVER = ["manage.py", "runserver", "--noreload", "127.0.0.1:{port}"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    output = tmp_path_factory.mktemp("django") / "iast.jsonl"
    with Demo(APP, RUNSERVER, output) as running:
        yield running


def test_every_labelled_endpoint(demo):
    check_catalogue(demo)


def _report_for(demo, path, kind):
    case = next(c for c in demo.cases if c["path"] == path)
    demo.send(case)
    found = demo.wait_for(lambda found: any(r["request"]["path"] == path and r["type"] == kind for r in found))
    return next(r for r in found if r["request"]["path"] == path and r["type"] == kind)


@pytest.mark.parametrize(
    "path, source",
    [
        ("/sqli-get", {"origin": "parameter", "name": "name"}),
        ("/sqli-post", {"origin": "parameter", "name": "name"}),
        ("/sqli-cookie", {"origin": "cookie", "name": "account"}),
        ("/sqli-header", {"origin": "header", "name": "X-Account"}),
        ("/sqli-meta", {"origin": "header", "name": "X-Role"}),
        ("/upload-name", {"origin": "file", "name": "attachment"}),
        ("/accounts/x'OR'1'='1/email", {"origin": "path_parameter", "name": "name"}),
    ],
)
def test_each_source_is_named_in_the_report(demo, path, source):
    report = _report_for(demo, path, "SQL_INJECTION")
    assert report["source"] == source


def test_the_body_is_tainted_as_bytes(demo):
    report = _report_for(demo, "/restore-state", "UNTRUSTED_DESERIALIZATION")
    assert report["source"] == {"origin": "body", "name": "body"}
    assert report["evidence"]["value"] == "cbuiltins\nlen\n(S'owned'\ntR."


def test_only_the_url_variable_of_the_request_path_is_tainted(demo):
    report = _report_for(demo, "/visits/x'),('injected", "SQL_INJECTION")
    assert report["request"] == {"method": "GET", "path": "/visits/x'),('injected"}
    assert report["evidence"]["parts"] == [
        {"value": "INSERT INTO accounts_visit (page) VALUES ('/visits/"},
        {"value": "x'),('injected", "source": {"origin": "path_parameter", "name": "page"}},
        {"value": "')"},
    ]


def test_a_regex_route_taints_its_groups_in_the_full_path(demo):
    report = _report_for(demo, "/archive/2024/x'),('injected", "SQL_INJECTION")
    parts = report["evidence"]["parts"]
    assert [p["value"] for p in parts] == ["INSERT INTO accounts_visit (page) VALUES ('/archive/", "2024", "/",
                                           "x'),('injected", "')"]
    assert [p.get("source", {}).get("name") for p in parts] == [None, "year", None, "slug", None]


def test_a_raw_query_set_is_reported_where_it_is_built(demo):
    report = _report_for(demo, "/orm-raw", "SQL_INJECTION")
    assert report["evidence"]["value"] == "SELECT id, name FROM accounts_account WHERE role = 'x' OR '1'='1'"


def test_the_demo_responses_are_real(demo):
    # The attacks work: the vulnerable endpoints really run what they are given.
    by_name = {c["name"]: c for c in demo.cases}
    status, body = demo.send(by_name["sqli_get"])
    assert status == 200 and sorted(json.loads(body)["emails"]) == ["alice@example.com", "bob@example.com"]
    status, body = demo.send(by_name["sqli_get_parameterised"])
    assert status == 200 and json.loads(body)["emails"] == []
    status, body = demo.send(by_name["xss_template_autoescape"])
    assert b"&lt;script&gt;" in body and b"<script>" not in body
    status, body = demo.send(by_name["xss_template_safe_filter"])
    assert b"<script>alert(document.cookie)</script>" in body
    status, body = demo.send(by_name["header_injection"])
    assert status == 400
    status, _ = demo.send(by_name["redirect_next"])
    assert status == 302
    with urllib.request.urlopen(demo.base + "/hsts-present") as response:
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def _children(pid):
    """The child processes of `pid` (Linux)."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def test_the_autoreloading_server_is_analysed_too(tmp_path):
    # Without --noreload, runserver re-executes itself in a child process that serves.
    output = tmp_path / "iast.jsonl"
    children = []
    try:
        with Demo(APP, ["manage.py", "runserver", "127.0.0.1:{port}"], output) as reloading:
            children = _children(reloading.proc.pid)
            assert children, "runserver started no serving child"
            case = next(c for c in reloading.cases if c["name"] == "sqli_get")
            assert reloading.send(case)[0] == 200
            found = reloading.wait_for(lambda found: any(r["request"]["path"] == "/sqli-get" for r in found))
    finally:
        # Stopping the reloader leaves its child running: stop it too.
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    assert [(r["type"], r["location"]["path"]) for r in found] == [("SQL_INJECTION", "views_sources.py")]


def test_a_panicking_sink_check_leaves_every_response_unchanged(tmp_path, demo):
    expected = {case["name"]: demo.send(case) for case in demo.cases}
    output = tmp_path / "iast.jsonl"
    with Demo(APP, RUNSERVER, output, env={"MOAT_IAST_FORCE_PANIC": "true"}) as panicking:
        for case in panicking.cases:
            assert panicking.send(case) == expected[case["name"]], case["name"]
    assert panicking.log.count("checks turned off") == 1, panicking.log
    assert panicking.reports() == []


def test_every_labelled_endpoint_through_the_asgi_handler(tmp_path):
    # The same views served by Django's ASGI handler: sync views run in a worker thread.
    output = tmp_path / "iast.jsonl"
    with Demo(APP, ["serve_asgi.py", "{port}"], output) as served:
        check_catalogue(served)
