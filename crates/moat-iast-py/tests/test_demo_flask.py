"""The Flask demo app under `moat-iast run`, every labelled endpoint requested over real
HTTP: each vulnerable one reported with its type, file, line and route, nothing else."""

from pathlib import Path

import pytest

from demo import Demo, check_catalogue

APP = Path(__file__).parent / "apps" / "flask_demo"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    output = tmp_path_factory.mktemp("flask") / "iast.jsonl"
    with Demo(APP, ["-m", "flask", "--app", "app", "run", "--port", "{port}"], output) as running:
        yield running


def test_every_labelled_endpoint(demo):
    check_catalogue(demo)


def test_a_report_carries_source_evidence_request_and_hash(demo):
    found = demo.wait_for(lambda found: any(r["request"]["path"] == "/sqli-concat" for r in found))
    report = next(r for r in found if r["request"]["path"] == "/sqli-concat")
    assert report["type"] == "SQL_INJECTION"
    assert report["request"] == {"method": "GET", "path": "/sqli-concat"}
    assert report["source"] == {"origin": "parameter", "name": "id"}
    assert report["evidence"]["value"] == "SELECT name FROM users WHERE id = 1 OR 1=1"
    assert report["evidence"]["parts"] == [
        {"value": "SELECT name FROM users WHERE id = "},
        {"value": "1 OR 1=1", "source": {"origin": "parameter", "name": "id"}},
    ]
    assert len(report["hash"]) == 16


def test_a_panicking_sink_check_leaves_every_response_unchanged(tmp_path, demo):
    # The same requests with every check forced to panic inside the Rust core: each
    # response is what the application returns with the agent working normally.
    expected = {case["name"]: demo.send(case) for case in demo.cases}
    output = tmp_path / "iast.jsonl"
    app = Path(__file__).parent / "apps" / "flask_demo"
    args = ["-m", "flask", "--app", "app", "run", "--port", "{port}"]
    with Demo(app, args, output, env={"MOAT_IAST_FORCE_PANIC": "true"}) as panicking:
        for case in panicking.cases:
            assert panicking.send(case) == expected[case["name"]], case["name"]
    assert panicking.log.count("checks turned off") == 1, panicking.log
    assert panicking.reports() == []
