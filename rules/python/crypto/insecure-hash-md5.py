import hashlib
from hashlib import md5

from Crypto.Hash import MD5
from cryptography.hazmat.primitives import hashes


def fingerprint(data):
    # ruleid: python.crypto.insecure-hash-md5
    return hashlib.md5(data).hexdigest()


def fingerprint_alias(data):
    # ruleid: python.crypto.insecure-hash-md5
    return md5(data).hexdigest()


def fingerprint_by_name(data):
    # ruleid: python.crypto.insecure-hash-md5
    return hashlib.new("md5", data).hexdigest()


def fingerprint_pycryptodome(data):
    # ruleid: python.crypto.insecure-hash-md5
    return MD5.new(data).hexdigest()


def fingerprint_cryptography():
    # ruleid: python.crypto.insecure-hash-md5
    return hashes.Hash(hashes.MD5())


def cache_key(data):
    # ok: python.crypto.insecure-hash-md5
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def fingerprint_strong(data):
    # ok: python.crypto.insecure-hash-md5
    return hashlib.sha256(data).hexdigest()


def fingerprint_strong_by_name(data):
    # ok: python.crypto.insecure-hash-md5
    return hashlib.new("sha256", data).hexdigest()
