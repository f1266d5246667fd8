"""Weak randomness: `random` output is recognised in the text of a token, and nothing
else is."""

import os
import random
import secrets
import string

import pytest

from moat_iast import _config, _randomness


@pytest.fixture(autouse=True)
def app_root(monkeypatch):
    # This test file plays the application: its draws count, like an app module's.
    monkeypatch.setenv("MOAT_IAST_APP_ROOTS", os.path.dirname(os.path.abspath(__file__)))
    _config.reset()
    _randomness.install()
    _randomness._local.state = None
    yield
    _config.reset()


def test_tokens_built_from_random_are_recognised():
    token = "%032x" % random.getrandbits(128)
    assert _randomness.source_of("session=" + token) == "getrandbits"
    pin = str(random.randint(100000, 999999))
    assert _randomness.source_of(f"reset-{pin}") == "randint"
    letters = "".join(random.choice(string.ascii_letters) for _ in range(20))
    assert _randomness.source_of(letters) == "choice"
    picked = "".join(random.choices(string.hexdigits, k=24))
    assert _randomness.source_of("t:" + picked) == "choices"
    assert _randomness.source_of(str(random.random())) == "random"


def test_secure_or_unrelated_values_are_not():
    random.shuffle([1, 2, 3])
    random.randint(1, 6)
    assert _randomness.source_of(secrets.token_hex(16)) is None
    assert _randomness.source_of("4") is None
    assert _randomness.source_of("plain constant text") is None
    assert _randomness.source_of(12345678) is None


def test_draws_made_by_libraries_do_not_count(tmp_path):
    # Code compiled under another path is not the application.
    namespace = {"random": random}
    exec(compile("value = random.getrandbits(64)", str(tmp_path / "lib.py"), "exec"), namespace)
    assert _randomness.source_of(format(namespace["value"], "x")) is None
