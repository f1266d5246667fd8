"""XML, LDAP, cryptography and credential checks in a real interpreter under
`moat-iast run`, where the demo app cannot show them: outside a request, through
libraries the demo does not use, and what a hook must leave exactly as it was.

Each script marks the lines the agent must report with `# expect: TYPE`; every other
report is a false positive."""

import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def run(dir: Path, script: str, env: dict = None) -> tuple:
    """Runs `main.py` with the agent; returns its output lines and its reports."""
    (dir / "main.py").write_text(textwrap.dedent(script))
    output = dir / "iast.jsonl"
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update(env or {}, MOAT_IAST_OUTPUT=str(output))
    out = subprocess.run([str(BIN / "moat-iast"), "run", sys.executable, "main.py"],
                         cwd=dir, env=environ, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "moat-iast:" not in out.stderr, out.stderr
    reports = [json.loads(line) for line in output.read_text().splitlines()] if output.exists() else []
    return out.stdout.splitlines(), reports


def expected(dir: Path) -> set:
    lines = (dir / "main.py").read_text().splitlines()
    return {(m.group(1), i) for i, text in enumerate(lines, 1) for m in [re.search(r"# expect: (\w+)", text)] if m}


def found(reports: list, file: str = "main.py") -> set:
    return {(r["type"], r["location"]["line"]) for r in reports if r["location"]["path"] == file}


def test_weak_hashes_and_ciphers_are_reported_at_the_application_line_that_asked(tmp_path):
    lines, reports = run(tmp_path, """
        import hashlib, hmac
        from hashlib import sha1
        from Crypto.Cipher import AES, ARC4, DES3
        from Crypto.Hash import SHA1
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        from werkzeug.http import generate_etag

        key = bytes(range(32))
        print(hashlib.md5(b"at start-up").hexdigest())  # expect: WEAK_HASH
        print(sha1(b"imported by name").hexdigest())  # expect: WEAK_HASH
        print(hashlib.new("MD5", b"named").hexdigest())  # expect: WEAK_HASH
        print(SHA1.new(b"pycryptodome").hexdigest())  # expect: WEAK_HASH
        print(hashes.MD5().name)  # expect: WEAK_HASH
        ARC4.new(key[:16])  # expect: WEAK_CIPHER
        DES3.new(key[:24], DES3.MODE_CBC, iv=key[:8])  # expect: WEAK_CIPHER
        AES.new(key, AES.MODE_ECB)  # expect: WEAK_CIPHER
        Cipher(algorithms.AES(key), mode=modes.ECB())  # expect: WEAK_CIPHER

        # Not weak, or not asked for by this code: libraries hash with MD5 and SHA-1 for
        # their own non-security reasons.
        print(hashlib.md5(b"cache key", usedforsecurity=False).hexdigest())
        print(hashlib.new("sha1", b"etag", usedforsecurity=False).hexdigest())
        print(hashlib.sha256(b"fine").hexdigest(), hashlib.new("sha512").name)
        print(generate_etag(b"a response body"))
        print(hmac.new(key, b"message", hashlib.md5).hexdigest())
        print(hmac.new(key, b"message", "sha1").hexdigest())
        AES.new(key, AES.MODE_GCM)
        Cipher(algorithms.AES(key), modes.CBC(key[:16]))
        print(hashes.SHA256().name)
    """)
    # The hooks change nothing the program sees.
    assert lines[:5] == [hashlib.md5(b"at start-up").hexdigest(), hashlib.sha1(b"imported by name").hexdigest(),
                         hashlib.md5(b"named").hexdigest(), hashlib.sha1(b"pycryptodome").hexdigest(), "md5"]
    assert lines[9] == hmac.new(bytes(range(32)), b"message", hashlib.md5).hexdigest()
    assert found(reports) == expected(tmp_path)
    evidence = {r["location"]["line"]: r["evidence"]["value"] for r in reports}
    assert sorted(set(evidence.values())) == ["3DES", "AES/ECB", "RC4", "md5", "sha1"]
    assert all("request" not in r for r in reports)


# Made-up credentials written in the scripts below: none may appear in a report.
SECRETS = ["Adm1n-Pa55!", "pg-Secret-91", "alchemy-Pw-77", "smtp-Pass-42", "http-Pass-13", "basic-Pass-88",
           "flask-Signing-Key-5", "module-Hmac-Key-3", "default-Key-21", "closure-Key-34", "settings-Db-Pw-8",
           "jwt-Key-55", "aws-Secret-Key-89", "aws-Client-Key-90"]


def test_hardcoded_credentials_are_reported_where_the_literal_is_written(tmp_path):
    (tmp_path / "settings.py").write_text('DB_PASSWORD = "settings-Db-Pw-8"\n')
    (tmp_path / "config.json").write_text(json.dumps({"db_password": "from-a-config-file", "smtp": "smtp-from-file"}))
    lines, reports = run(tmp_path, """
        import hmac, json, os, smtplib, socketserver, threading
        from http.server import BaseHTTPRequestHandler, HTTPServer

        import boto3, flask, jwt, psycopg2, pymysql, requests, sqlalchemy
        from requests.auth import HTTPBasicAuth

        import settings

        MODULE_KEY = "module-Hmac-Key-3"
        config = json.load(open("config.json"))


        class Smtp(socketserver.StreamRequestHandler):
            # Just enough of a mail server to accept a login.
            def handle(self):
                self.wfile.write(b"220 mail.test\\r\\n")
                for line in self.rfile:
                    verb = line[:4].upper()
                    reply = {b"EHLO": b"250-mail.test\\r\\n250 AUTH PLAIN", b"AUTH": b"235 accepted", b"QUIT": b"221 bye"}
                    self.wfile.write(reply.get(verb, b"250 ok") + b"\\r\\n")
                    if verb == b"QUIT":
                        return


        class Api(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200 if self.headers.get("Authorization") else 401)
                self.end_headers()

            def log_message(self, *args):
                pass


        def serve(server):
            threading.Thread(target=server.serve_forever, daemon=True).start()
            return server.server_address[1]


        smtp_port = serve(socketserver.ThreadingTCPServer(("127.0.0.1", 0), Smtp))
        http_port = serve(HTTPServer(("127.0.0.1", 0), Api))


        def unreachable(connect, **kwargs):
            try:
                connect(**kwargs)
            except Exception as error:
                return type(error).__name__


        print(unreachable(pymysql.connect, host="127.0.0.1", port=9, user="app", password="Adm1n-Pa55!"))  # expect: HARDCODED_PASSWORD
        print(unreachable(psycopg2.connect, dsn="host=127.0.0.1 port=9 user=app password=pg-Secret-91 connect_timeout=2"))  # expect: HARDCODED_PASSWORD
        sqlalchemy.create_engine("postgresql+psycopg2://app:alchemy-Pw-77@127.0.0.1:9/app")  # expect: HARDCODED_PASSWORD
        with smtplib.SMTP("127.0.0.1", smtp_port) as mail:
            print(mail.login("app", "smtp-Pass-42")[0])  # expect: HARDCODED_PASSWORD
        print(requests.get(f"http://127.0.0.1:{http_port}/", auth=("app", "http-Pass-13")).status_code)  # expect: HARDCODED_PASSWORD
        basic = HTTPBasicAuth("app", "basic-Pass-88")  # expect: HARDCODED_PASSWORD

        app = flask.Flask("demo")
        app.secret_key = "flask-Signing-Key-5"  # expect: HARDCODED_SECRET
        print(hmac.new(MODULE_KEY.encode(), b"body", "sha256").hexdigest()[:8])  # expect: HARDCODED_SECRET


        def sign(body, key=b"default-Key-21"):
            return hmac.new(key, body, "sha256").hexdigest()  # expect: HARDCODED_SECRET


        def signer():
            key = "closure-Key-34"

            def sign_with(body):
                return hmac.digest(key.encode(), body, "sha256")  # expect: HARDCODED_SECRET

            return sign_with


        def connect_as(password):
            return unreachable(pymysql.connect, host="127.0.0.1", port=9, user="app", password=password)


        print(sign(b"body")[:8], signer()(b"body")[:4].hex())
        print(connect_as(settings.DB_PASSWORD))  # expect: HARDCODED_PASSWORD
        token = jwt.encode({"sub": "app"}, "jwt-Key-55", algorithm="HS256")  # expect: HARDCODED_SECRET
        print(jwt.decode(token, key="jwt-Key-55", algorithms=["HS256"]))  # expect: HARDCODED_SECRET
        boto3.Session(aws_access_key_id="AKIATESTKEY", aws_secret_access_key="aws-Secret-Key-89", region_name="eu-west-1")  # expect: HARDCODED_SECRET
        s3 = boto3.client("s3", region_name="eu-west-1", aws_access_key_id="AKIATESTKEY", aws_secret_access_key="aws-Client-Key-90")  # expect: HARDCODED_SECRET
        print(s3.generate_presigned_url("get_object", Params={"Bucket": "reports", "Key": "q3.pdf"}).startswith("https://"))

        # Credentials from the environment or a configuration file are not hardcoded, and
        # neither is a development fallback of an environment lookup.
        app.config["SECRET_KEY"] = os.environ.get("APP_SECRET_KEY", "dev-only-fallback")
        print(unreachable(pymysql.connect, host="127.0.0.1", port=9, user="app", password=config["db_password"]))
        print(unreachable(psycopg2.connect, host="127.0.0.1", port=9, password=os.environ["DB_PASSWORD"], connect_timeout=2))
        print(connect_as(os.environ["DB_PASSWORD"]))
        with smtplib.SMTP("127.0.0.1", smtp_port) as mail:
            mail.login("app", config["smtp"])
        print(sign(b"body", key=os.environ["DB_PASSWORD"].encode())[:8])
        print(requests.get(f"http://127.0.0.1:{http_port}/", auth=("app", os.environ["DB_PASSWORD"])).status_code)
        sqlalchemy.create_engine("sqlite://")
        jwt.encode({"sub": "app"}, os.environ["DB_PASSWORD"], algorithm="HS256")
        boto3.client("s3", region_name="eu-west-1", aws_access_key_id="AKIATESTKEY", aws_secret_access_key=os.environ["DB_PASSWORD"])
    """, env={"DB_PASSWORD": "an-environment-value"})
    assert lines[:4] == ["OperationalError", "OperationalError", "235", "200"]
    assert found(reports) == expected(tmp_path)
    text = (tmp_path / "iast.jsonl").read_text()
    assert "<redacted>" in text
    leaked = [secret for secret in SECRETS if secret in text]
    assert not leaked


def test_xml_and_ldap_sinks_inside_a_request(tmp_path):
    lines, reports = run(tmp_path, """
        import xml.etree.ElementTree as ElementTree

        import elementpath
        from ldap3.utils.conv import escape_filter_chars
        from lxml import etree
        from moat_iast import _context

        ctx = _context.start("POST", "/import")


        def tainted(value):
            return ctx.taint(value, "parameter", "q")


        class AppParser(etree.XMLParser):
            pass


        # The stand-ins for lxml's classes answer the application's checks as lxml's do.
        parser = etree.XMLParser(resolve_entities=False)
        print(isinstance(parser, etree.XMLParser), isinstance(etree.get_default_parser(), etree.XMLParser),
              isinstance(AppParser(), etree.XMLParser), isinstance(parser, AppParser), type(parser).__name__)
        root = etree.fromstring("<a><b>1</b><b>2</b></a>")
        tree = etree.ElementTree(root)
        print(isinstance(etree.XPathEvaluator(tree), etree.XPathDocumentEvaluator),
              isinstance(etree.XPathEvaluator(root), etree.XPathElementEvaluator), etree.XPath("count(//b)")(root))

        doc = tainted("<a><b>1</b></a>")
        etree.fromstring(doc)
        etree.fromstring(doc, parser)
        etree.fromstring(doc, etree.HTMLParser())
        etree.XML(doc, etree.XMLParser(load_dtd=True))
        etree.fromstring(doc, etree.XMLParser(resolve_entities=True))  # expect: XXE
        etree.XML(doc, parser=AppParser(load_dtd=True, no_network=False))  # expect: XXE
        feeding = etree.XMLParser(resolve_entities=True)
        feeding.feed(doc)  # expect: XXE
        print(feeding.close().tag)

        name = tainted("x' or '1'='1")
        print(etree.XPathEvaluator(tree)("//b[text()='" + name + "']/text()"))  # expect: XPATH_INJECTION
        etree.XPathElementEvaluator(root)("//b[text()='" + name + "']")  # expect: XPATH_INJECTION
        etree.ETXPath("//{urn:demo}b[text()='" + name + "']")  # expect: XPATH_INJECTION
        plain = ElementTree.fromstring("<a><b>1</b></a>")
        elementpath.Selector("//b[.='" + name + "']").select(plain)  # expect: XPATH_INJECTION
        list(elementpath.iter_select(plain, "//b[.='" + name + "']"))  # expect: XPATH_INJECTION
        print(etree.XPath("//b[text()=$v]")(root, v=name), elementpath.select(plain, "//b[.=$v]", variables={"v": name}))
        number = tainted("2")
        print(etree.XPath("//b[" + number + "]/text()")(root))

        attack = tainted("*)(uid=*")
        escaped = escape_filter_chars(attack)
        print(escaped, ctx.is_tainted(escaped), ctx.vulnerable("LDAP_INJECTION", "(uid=" + escaped + ")"),
              ctx.vulnerable("LDAP_INJECTION", "(uid=" + attack + ")"))
    """)
    assert lines == [
        "True True True False XMLParser",
        "True True 2.0",
        "a",
        "['1', '2']",
        "[] []",
        "['2']",
        r"\2a\29\28uid=\2a True False True",
    ]
    assert found(reports) == expected(tmp_path)
    assert {r["request"]["path"] for r in reports} == {"/import"}


def test_lxml_default_parser_resolves_external_entities_before_5_only():
    from moat_iast import _xml_crypto_sinks as sinks

    assert sinks._resolves({}, default=True)  # lxml 4: resolve_entities=True by default
    assert not sinks._resolves({}, default=False)  # lxml 5: "internal"
    assert sinks._resolves({"resolve_entities": True}, default=False)
    assert not sinks._resolves({"resolve_entities": "internal"}, default=True)
    assert not sinks._resolves({"resolve_entities": False}, default=True)
    assert sinks._resolves({"resolve_entities": False, "dtd_validation": True, "no_network": False}, default=True)
    assert not sinks._resolves({"resolve_entities": False, "dtd_validation": True}, default=True)


def test_python_ldap_filters_and_binds(tmp_path):
    # python-ldap builds against the OpenLDAP headers (libldap2-dev), so it is not in
    # requirements.txt; machines that have it run this.
    pytest.importorskip("ldap")
    lines, reports = run(tmp_path, """
        import ldap
        import ldap.filter
        from moat_iast import _context

        ctx = _context.start("GET", "/people")
        name = ctx.taint("*)(uid=*", "parameter", "name")
        conn = ldap.initialize("ldap://127.0.0.1:9")
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, 1)
        for call in (
            lambda: conn.simple_bind_s("cn=app,dc=demo", "Ldap-Hardcoded-1"),  # expect: HARDCODED_PASSWORD
            lambda: conn.search_s("dc=demo", ldap.SCOPE_SUBTREE, "(&(uid=" + name + "))"),  # expect: LDAP_INJECTION
            lambda: conn.search_s("dc=demo", ldap.SCOPE_SUBTREE, "(uid=" + ldap.filter.escape_filter_chars(name) + ")"),
        ):
            try:
                call()
            except ldap.LDAPError as error:
                print(type(error).__name__)
    """)
    assert lines == ["SERVER_DOWN"] * 3
    assert found(reports) == expected(tmp_path)
