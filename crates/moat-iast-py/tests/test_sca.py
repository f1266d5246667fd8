"""Runtime SCA: the agent reports the distributions the application really imported."""

import json
import os
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

BIN = Path(sys.executable).parent


def test_loaded_distributions_are_reported_with_versions(tmp_path):
    out = tmp_path / "libraries.jsonl"
    (tmp_path / "main.py").write_text(textwrap.dedent("""
        import time
        import flask
        time.sleep(1.5)
    """))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(MOAT_IAST_LIBRARIES_OUTPUT=str(out), MOAT_IAST_LIBRARIES_DELAY="0.5", MOAT_IAST_SERVICE="shop")
    run = subprocess.run([str(BIN / "moat-iast"), "run", sys.executable, "main.py"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    reports = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(reports) == 1
    report = reports[0]
    assert report["kind"] == "libraries" and report["service"] == "shop"
    names = {lib["name"].lower(): lib["version"] for lib in report["libraries"]}
    assert names["flask"] == metadata.version("flask")
    assert names["werkzeug"] == metadata.version("werkzeug")
    # Installed but never imported by the program: not loaded, not reported.
    assert "pytest" not in names


def test_nothing_is_written_without_the_setting(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MOAT_IAST_LIBRARIES_OUTPUT")}
    run = subprocess.run([str(BIN / "moat-iast"), "run", sys.executable, "-c", "import flask"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert list(tmp_path.iterdir()) == []
