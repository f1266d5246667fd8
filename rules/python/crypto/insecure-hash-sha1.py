import hashlib
import hmac
import hashlib as hl

from Crypto.Hash import SHA1


def sign(data):
    # ruleid: python.crypto.insecure-hash-sha1
    return hashlib.sha1(data).hexdigest()


def sign_alias(data):
    # ruleid: python.crypto.insecure-hash-sha1
    return hl.new("sha1", data).digest()


def sign_pycryptodome(data):
    # ruleid: python.crypto.insecure-hash-sha1
    return SHA1.new(data).digest()


def git_object_id(blob):
    # ok: python.crypto.insecure-hash-sha1
    return hashlib.sha1(blob, usedforsecurity=False).hexdigest()


def sign_strong(data):
    # ok: python.crypto.insecure-hash-sha1
    return hashlib.sha256(data).hexdigest()


def legacy_hmac(key, msg):
    # ok: python.crypto.insecure-hash-sha1
    return hmac.new(key, msg, hashlib.sha1).hexdigest()
