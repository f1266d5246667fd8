"""XML, LDAP, cryptography and credentials: XXE, XPath and LDAP injection, weak hashes
and ciphers, hardcoded passwords and secrets."""

import hashlib
import hmac
import os
import secrets
import xml.dom.minidom
import xml.etree.ElementTree as ElementTree
import xml.sax
from xml.sax.handler import feature_external_ges

import elementpath
import jwt
from Crypto.Cipher import AES, DES
from Crypto.Hash import MD5
from Crypto.Util.Padding import pad, unpad
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from flask import make_response, request
from ldap3 import MOCK_SYNC, Connection, Server
from ldap3.utils.conv import escape_filter_chars
from lxml import etree

from cases import case

# Deployment secrets come from the environment. The demo derives those it is not given
# from their names, so every run answers the same.
for _name in ("DEMO_JWT_KEY", "DEMO_WEBHOOK_KEY", "DEMO_LDAP_PASSWORD"):
    os.environ.setdefault(_name, hashlib.sha256(_name.encode()).hexdigest())

# Keys the card vault encrypts with, made at start-up (how keys are kept is not what
# these cases are about).
CARD_KEY_DES = secrets.token_bytes(8)
CARD_KEY_AES = secrets.token_bytes(32)
VAULT = {}

USERS_XML = """<users>
  <user><name>alice</name><role>admin</role><email>alice@example.com</email><pin>4242</pin></user>
  <user><name>bob</name><role>staff</role><email>bob@example.com</email><pin>1234</pin></user>
</users>"""
USERS = etree.fromstring(USERS_XML)
USERS_TREE = ElementTree.fromstring(USERS_XML)

# An order whose note is an external entity: reading it discloses a file of the server.
XXE_ORDER = (
    '<!DOCTYPE order [<!ENTITY note SYSTEM "file:///etc/passwd">]>'
    "<order><item>notebook</item><item>pen</item><note>&note;</note></order>"
)

# The company directory, served in memory by ldap3's mock strategy: its accounts (with
# the passwords the server checks) and the people it lists.
SERVICE_DN = "cn=webapp,ou=services,dc=demo,dc=example"
REPORTS_DN = "cn=reports,ou=services,dc=demo,dc=example"
DIRECTORY_ACCOUNTS = {SERVICE_DN: os.environ["DEMO_LDAP_PASSWORD"], REPORTS_DN: "Rep0rts-Legacy-2019"}
PEOPLE = [("alice", "Alice Martin", "staff"), ("bob", "Bob Durand", "staff"), ("root-svc", "Root Service", "hidden")]


def directory(user, password):
    """A connection to the directory bound as `user`; PermissionError when refused."""
    server = Server("ldap.demo.example")
    conn = Connection(server, user=user, password=password, client_strategy=MOCK_SYNC)
    for dn, secret in DIRECTORY_ACCOUNTS.items():
        conn.strategy.add_entry(dn, {"objectClass": "person", "sn": dn.split(",")[0][3:], "userPassword": secret})
    for uid, name, kind in PEOPLE:
        conn.strategy.add_entry(f"uid={uid},ou=people,dc=demo,dc=example", {
            "objectClass": "inetOrgPerson", "uid": uid, "cn": name, "sn": name.split()[-1],
            "mail": f"{uid}@example.com", "employeeType": kind,
        })
    if not conn.bind():
        raise PermissionError(f"bind refused for {user}")
    return conn


def people(conn):
    return [{"uid": str(e.uid), "cn": str(e.cn), "mail": str(e.mail)} for e in conn.entries]


def vault(card, sealed, opened):
    """Keeps a sealed card number once it decrypts back; answers with the masked card."""
    if opened.rstrip(b"\0").decode() != card:
        raise ValueError("the card does not decrypt back")
    VAULT[card[-4:]] = sealed
    return {"card": "**** " + card[-4:], "sealed_bytes": len(sealed)}


def register(app):
    # --- XXE

    @app.route("/xxe-lxml-entities", methods=["POST"])
    @case("XXE", True, method="POST", form={"order": XXE_ORDER})
    def xxe_lxml_entities():
        parser = etree.XMLParser(resolve_entities=True)
        order = etree.fromstring(request.form["order"], parser)  # report
        return {"items": [item.text for item in order.iter("item")], "note": order.findtext("note")}

    @app.route("/xxe-minidom-external-entities", methods=["POST"])
    @case("XXE", True, method="POST", form={"order": XXE_ORDER})
    def xxe_minidom_external_entities():
        parser = xml.sax.make_parser()
        parser.setFeature(feature_external_ges, True)
        order = xml.dom.minidom.parseString(request.form["order"], parser)  # report
        note = order.getElementsByTagName("note")[0]
        return {"items": len(order.getElementsByTagName("item")), "note": "".join(n.data for n in note.childNodes)}

    @app.route("/xxe-safe-lxml-hardened", methods=["POST"])
    @case("XXE", False, method="POST", form={"order": XXE_ORDER})
    def xxe_safe_lxml_hardened():
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        order = etree.fromstring(request.form["order"], parser)
        return {"items": [item.text for item in order.iter("item")], "note": order.findtext("note")}

    @app.route("/xxe-safe-lxml-defaults", methods=["POST"])
    @case("XXE", False, method="POST", form={"order": XXE_ORDER})
    def xxe_safe_lxml_defaults():
        # lxml 5 and later resolve internal entities only: the external one is an error.
        try:
            order = etree.fromstring(request.form["order"])
        except etree.XMLSyntaxError as error:
            return {"error": str(error)}, 400
        return {"items": [item.text for item in order.iter("item")]}

    @app.route("/xxe-lxml-upload", methods=["POST"])
    @case("XXE", True, method="POST", files={"order": ("order.xml", XXE_ORDER)})
    def xxe_lxml_upload():
        parser = etree.XMLParser(resolve_entities=True)
        order = etree.parse(request.files["order"], parser).getroot()  # report
        return {"items": [item.text for item in order.iter("item")], "note": order.findtext("note")}

    @app.route("/xxe-safe-lxml-upload", methods=["POST"])
    @case("XXE", False, method="POST", files={"order": ("order.xml", XXE_ORDER)})
    def xxe_safe_lxml_upload():
        order = etree.parse(request.files["order"], etree.XMLParser(resolve_entities=False)).getroot()
        return {"items": [item.text for item in order.iter("item")]}

    @app.route("/xxe-safe-minidom", methods=["POST"])
    @case("XXE", False, method="POST", form={"order": XXE_ORDER})
    def xxe_safe_minidom():
        order = xml.dom.minidom.parseString(request.form["order"])
        return {"items": len(order.getElementsByTagName("item"))}

    # --- XPath injection

    @app.route("/xpath-lxml-compiled")
    @case("XPATH_INJECTION", True, params={"name": "' or '1'='1"})
    def xpath_lxml_compiled():
        name = request.args.get("name", "")
        emails = etree.XPath("//user[name='" + name + "']/email/text()")  # report
        return {"emails": emails(USERS)}

    @app.route("/xpath-lxml-evaluator")
    @case("XPATH_INJECTION", True, params={"name": "alice", "pin": "' or '1'='1"})
    def xpath_lxml_evaluator():
        name, pin = request.args.get("name", ""), request.args.get("pin", "")
        evaluate = etree.XPathEvaluator(USERS)
        roles = evaluate(f"//user[name='{name}' and pin='{pin}']/role/text()")  # report
        return {"signed_in": bool(roles), "roles": roles}

    @app.route("/xpath-lxml-element")
    @case("XPATH_INJECTION", True, params={"name": "' or '1'='1"})
    def xpath_lxml_element():
        name = request.args.get("name", "")
        return {"emails": USERS.xpath("//user[name='" + name + "']/email/text()")}  # report

    @app.route("/xpath-lxml-tree")
    @case("XPATH_INJECTION", True, params={"role": "x' or '1'='1"})
    def xpath_lxml_tree():
        query = f"//user[role='{request.args.get('role', '')}']/name/text()"
        return {"names": USERS.getroottree().xpath(query)}  # report

    @app.route("/xpath-safe-lxml-element-variable")
    @case("XPATH_INJECTION", False, params={"name": "' or '1'='1"})
    def xpath_safe_lxml_element_variable():
        return {"emails": USERS.xpath("//user[name=$name]/email/text()", name=request.args.get("name", ""))}

    @app.route("/xpath-elementpath")
    @case("XPATH_INJECTION", True, params={"role": "staff' or '1'='1"})
    def xpath_elementpath():
        role = request.args.get("role", "")
        users = elementpath.select(USERS_TREE, "//user[role='" + role + "']/name")  # report
        return {"users": [user.text for user in users]}

    @app.route("/xpath-safe-lxml-variable")
    @case("XPATH_INJECTION", False, params={"name": "' or '1'='1"})
    def xpath_safe_lxml_variable():
        emails = etree.XPath("//user[name=$name]/email/text()")
        return {"emails": emails(USERS, name=request.args.get("name", ""))}

    @app.route("/xpath-safe-elementpath-variable")
    @case("XPATH_INJECTION", False, params={"role": "staff' or '1'='1"})
    def xpath_safe_elementpath_variable():
        users = elementpath.select(USERS_TREE, "//user[role=$role]/name", variables={"role": request.args.get("role", "")})
        return {"users": [user.text for user in users]}

    @app.route("/xpath-safe-validated")
    @case("XPATH_INJECTION", False, params={"name": "bob"})
    def xpath_safe_validated():
        name = request.args.get("name", "")
        if not name.isalnum():
            return {"error": "invalid name"}, 400
        return {"emails": etree.XPathEvaluator(USERS)("//user[name='" + name + "']/email/text()")}

    # --- LDAP injection

    @app.route("/ldap-people-search")
    @case("LDAP_INJECTION", True, params={"uid": "*)(employeeType=hidden"})
    def ldap_people_search():
        uid = request.args.get("uid", "")
        conn = directory(SERVICE_DN, os.environ["DEMO_LDAP_PASSWORD"])
        search = "(&(objectClass=inetOrgPerson)(uid=" + uid + "))"
        conn.search("ou=people,dc=demo,dc=example", search, attributes=["uid", "cn", "mail"])  # report
        return {"people": people(conn)}

    @app.route("/ldap-safe-escaped")
    @case("LDAP_INJECTION", False, params={"uid": "*)(employeeType=hidden"})
    def ldap_safe_escaped():
        uid = escape_filter_chars(request.args.get("uid", ""))
        conn = directory(SERVICE_DN, os.environ["DEMO_LDAP_PASSWORD"])
        search = "(&(objectClass=inetOrgPerson)(uid=" + uid + "))"
        conn.search("ou=people,dc=demo,dc=example", search, attributes=["uid", "cn", "mail"])
        return {"people": people(conn)}

    # --- Weak hashing

    @app.route("/weak-hash-md5-password", methods=["POST"])
    @case("WEAK_HASH", True, method="POST", form={"user": "carol", "password": "correct horse"})
    def weak_hash_md5_password():
        digest = hashlib.md5(request.form["password"].encode()).hexdigest()  # report
        return {"user": request.form["user"], "stored": len(digest) == 32}

    @app.route("/weak-hash-sha1-named")
    @case("WEAK_HASH", True, params={"token": "tok_5d2c"})
    def weak_hash_sha1_named():
        fingerprint = hashlib.new("sha1", request.args.get("token", "").encode()).hexdigest()  # report
        return {"fingerprint": fingerprint[:12]}

    @app.route("/weak-hash-pycryptodome-md5")
    @case("WEAK_HASH", True, params={"file": "report.pdf"})
    def weak_hash_pycryptodome_md5():
        checksum = MD5.new(request.args.get("file", "").encode()).hexdigest()  # report
        return {"checksum": checksum}

    @app.route("/weak-hash-cryptography-sha1")
    @case("WEAK_HASH", True, params={"message": "hello"})
    def weak_hash_cryptography_sha1():
        digest = hashes.Hash(hashes.SHA1())  # report
        digest.update(request.args.get("message", "").encode())
        return {"digest": digest.finalize().hex()}

    @app.route("/weak-hash-safe-sha256", methods=["POST"])
    @case("WEAK_HASH", False, method="POST", form={"user": "carol", "password": "correct horse"})
    def weak_hash_safe_sha256():
        salt = secrets.token_bytes(16)
        digest = hashlib.pbkdf2_hmac("sha256", request.form["password"].encode(), salt, 100_000)
        return {"stored": len(salt + digest) == 48}

    @app.route("/weak-hash-safe-not-for-security")
    @case("WEAK_HASH", False, params={"page": "2"})
    def weak_hash_safe_not_for_security():
        cache_key = hashlib.md5(request.full_path.encode(), usedforsecurity=False).hexdigest()
        return {"cache_key": cache_key}

    @app.route("/weak-hash-safe-library-etag")
    @case("WEAK_HASH", False)
    def weak_hash_safe_library_etag():
        # Werkzeug computes the ETag with SHA-1: a library's choice, not the view's.
        response = make_response("quarterly report\n")
        response.add_etag()
        return response

    # --- Weak ciphers

    @app.route("/weak-cipher-des", methods=["POST"])
    @case("WEAK_CIPHER", True, method="POST", form={"card": "4111111111111111"})
    def weak_cipher_des():
        card = request.form["card"]
        cipher = DES.new(CARD_KEY_DES, DES.MODE_CBC)  # report
        sealed = cipher.encrypt(pad(card.encode(), DES.block_size))
        opened = unpad(DES.new(CARD_KEY_DES, DES.MODE_CBC, iv=cipher.iv).decrypt(sealed), DES.block_size)
        return vault(card, cipher.iv + sealed, opened)

    @app.route("/weak-cipher-aes-ecb", methods=["POST"])
    @case("WEAK_CIPHER", True, method="POST", form={"card": "4111111111111111"})
    def weak_cipher_aes_ecb():
        card = request.form["card"]
        cipher = AES.new(CARD_KEY_AES, AES.MODE_ECB)  # report
        sealed = cipher.encrypt(pad(card.encode(), AES.block_size))
        return vault(card, sealed, unpad(cipher.decrypt(sealed), AES.block_size))

    @app.route("/weak-cipher-cryptography-ecb", methods=["POST"])
    @case("WEAK_CIPHER", True, method="POST", form={"card": "4111111111111111"})
    def weak_cipher_cryptography_ecb():
        card = request.form["card"]
        cipher = Cipher(algorithms.AES(CARD_KEY_AES), modes.ECB())  # report
        encryptor, decryptor = cipher.encryptor(), cipher.decryptor()
        sealed = encryptor.update(card.encode().ljust(16, b"\0")[:16]) + encryptor.finalize()
        return vault(card, sealed, decryptor.update(sealed) + decryptor.finalize())

    @app.route("/weak-cipher-safe-aes-gcm", methods=["POST"])
    @case("WEAK_CIPHER", False, method="POST", form={"card": "4111111111111111"})
    def weak_cipher_safe_aes_gcm():
        card = request.form["card"]
        cipher = AES.new(CARD_KEY_AES, AES.MODE_GCM)
        sealed, tag = cipher.encrypt_and_digest(card.encode())
        opened = AES.new(CARD_KEY_AES, AES.MODE_GCM, nonce=cipher.nonce).decrypt_and_verify(sealed, tag)
        return vault(card, cipher.nonce + sealed + tag, opened)

    @app.route("/weak-cipher-safe-cryptography-gcm", methods=["POST"])
    @case("WEAK_CIPHER", False, method="POST", form={"card": "4111111111111111"})
    def weak_cipher_safe_cryptography_gcm():
        card, nonce = request.form["card"], secrets.token_bytes(12)
        encryptor = Cipher(algorithms.AES(CARD_KEY_AES), modes.GCM(nonce)).encryptor()
        sealed = encryptor.update(card.encode()) + encryptor.finalize()
        decryptor = Cipher(algorithms.AES(CARD_KEY_AES), modes.GCM(nonce, encryptor.tag)).decryptor()
        return vault(card, nonce + sealed + encryptor.tag, decryptor.update(sealed) + decryptor.finalize())

    # --- Hardcoded passwords and secrets

    @app.route("/hardcoded-password-ldap-bind")
    @case("HARDCODED_PASSWORD", True)
    def hardcoded_password_ldap_bind():
        conn = directory(REPORTS_DN, "Rep0rts-Legacy-2019")  # report
        conn.search("ou=people,dc=demo,dc=example", "(objectClass=inetOrgPerson)", attributes=["uid", "cn", "mail"])
        return {"people": len(conn.entries)}

    @app.route("/hardcoded-password-safe-ldap-bind")
    @case("HARDCODED_PASSWORD", False)
    def hardcoded_password_safe_ldap_bind():
        conn = directory(SERVICE_DN, os.environ["DEMO_LDAP_PASSWORD"])
        conn.search("ou=people,dc=demo,dc=example", "(objectClass=inetOrgPerson)", attributes=["uid", "cn", "mail"])
        return {"people": len(conn.entries)}

    @app.route("/hardcoded-secret-jwt")
    @case("HARDCODED_SECRET", True, params={"user": "alice"})
    def hardcoded_secret_jwt():
        claims = {"sub": request.args.get("user", ""), "scope": "reports:read"}
        return {"token": jwt.encode(claims, "jwt-signing-key-do-not-share-7d1e", algorithm="HS256")}  # report

    @app.route("/hardcoded-secret-safe-jwt")
    @case("HARDCODED_SECRET", False, params={"user": "alice"})
    def hardcoded_secret_safe_jwt():
        claims = {"sub": request.args.get("user", ""), "scope": "reports:read"}
        return {"token": jwt.encode(claims, os.environ["DEMO_JWT_KEY"], algorithm="HS256")}

    @app.route("/hardcoded-secret-webhook", methods=["POST"])
    @case("HARDCODED_SECRET", True, method="POST", form={"payload": '{"event": "paid"}', "signature": "00"})
    def hardcoded_secret_webhook():
        expected = hmac.new(b"whsec_4f9a7c2e8b1d", request.form["payload"].encode(), hashlib.sha256)  # report
        return {"valid": hmac.compare_digest(expected.hexdigest(), request.form["signature"])}

    @app.route("/hardcoded-secret-safe-webhook", methods=["POST"])
    @case("HARDCODED_SECRET", False, method="POST", form={"payload": '{"event": "paid"}', "signature": "00"})
    def hardcoded_secret_safe_webhook():
        key = os.environ["DEMO_WEBHOOK_KEY"].encode()
        expected = hmac.new(key, request.form["payload"].encode(), hashlib.sha256)
        return {"valid": hmac.compare_digest(expected.hexdigest(), request.form["signature"])}
