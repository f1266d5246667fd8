from Crypto.PublicKey import RSA
from cryptography.hazmat.primitives.asymmetric import rsa


def make_key():
    # ruleid: python.crypto.insufficient-rsa-key-size
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


def make_key_positional(backend):
    # ruleid: python.crypto.insufficient-rsa-key-size
    return rsa.generate_private_key(65537, 512, backend)


def make_key_pycryptodome():
    # ruleid: python.crypto.insufficient-rsa-key-size
    return RSA.generate(1024)


def make_strong_key():
    # ok: python.crypto.insufficient-rsa-key-size
    return rsa.generate_private_key(public_exponent=65537, key_size=3072)


def make_strong_key_pycryptodome():
    # ok: python.crypto.insufficient-rsa-key-size
    return RSA.generate(2048)


def make_configured_key(bits):
    # ok: python.crypto.insufficient-rsa-key-size
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)
