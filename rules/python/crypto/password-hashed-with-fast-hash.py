import hashlib
import os


def store(user, password):
    # ruleid: python.crypto.password-hashed-with-fast-hash
    user.password_hash = hashlib.sha256(password.encode()).hexdigest()


def check(user, candidate_password):
    # ruleid: python.crypto.password-hashed-with-fast-hash
    digest = hashlib.md5((user.salt + candidate_password).encode("utf-8")).hexdigest()
    return digest == user.password_hash


def store_sha512(form):
    # ruleid: python.crypto.password-hashed-with-fast-hash
    return hashlib.sha512(form.cleaned_data["password"].encode()).hexdigest()


def store_slow(password):
    salt = os.urandom(16)
    # ok: python.crypto.password-hashed-with-fast-hash
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
    return salt, digest


def store_scrypt(password):
    salt = os.urandom(16)
    # ok: python.crypto.password-hashed-with-fast-hash
    return hashlib.scrypt(password.encode(), salt=salt, n=2 ** 14, r=8, p=1)


def checksum(payload):
    # ok: python.crypto.password-hashed-with-fast-hash
    return hashlib.sha256(payload).hexdigest()
