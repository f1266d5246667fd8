import hashlib
import time

from cryptography.hazmat.primitives.asymmetric import rsa


def make_keys():
    # ruleid: metavariable-comparison-small-rsa-key
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    # ok: metavariable-comparison-small-rsa-key
    strong = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    # ok: metavariable-comparison-small-rsa-key
    exact = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return weak, strong, exact


def serve(app, api):
    # ruleid: metavariable-comparison-privileged-port
    app.run(host="0.0.0.0", port=80)
    # ok: metavariable-comparison-privileged-port
    app.run(host="0.0.0.0", port=443)
    # ok: metavariable-comparison-privileged-port
    api.run(port=8080, debug=False)


def backoff():
    # ruleid: metavariable-comparison-long-sleep
    time.sleep(30)
    # ok: metavariable-comparison-long-sleep
    time.sleep(5)
    # ok: metavariable-comparison-long-sleep
    time.sleep(1)


def derive(password, salt):
    # ruleid: metavariable-comparison-few-iterations
    weak = hashlib.pbkdf2_hmac("sha256", password, salt, 1000)
    # ruleid: metavariable-comparison-few-iterations
    famous = hashlib.pbkdf2_hmac("sha256", password, salt, 123456)
    # ok: metavariable-comparison-few-iterations
    strong = hashlib.pbkdf2_hmac("sha256", password, salt, 600000)
    return weak, famous, strong
