from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def encrypt_3des(key, iv, data):
    # ruleid: python.crypto.insecure-cipher-cryptography
    cipher = Cipher(algorithms.TripleDES(key), modes.CBC(iv))
    return cipher.encryptor().update(data)


def encrypt_blowfish(key, iv, data):
    # ruleid: python.crypto.insecure-cipher-cryptography
    cipher = Cipher(algorithms.Blowfish(key), modes.CBC(iv))
    return cipher.encryptor().update(data)


def encrypt_rc4(key, data):
    # ruleid: python.crypto.insecure-cipher-cryptography
    return Cipher(ARC4(key), mode=None).encryptor().update(data)


def encrypt_aes(key, iv, data):
    # ok: python.crypto.insecure-cipher-cryptography
    cipher = Cipher(algorithms.AES(key), modes.CBC(iv))
    return cipher.encryptor().update(data)


def encrypt_aead(key, nonce, data):
    # ok: python.crypto.insecure-cipher-cryptography
    return AESGCM(key).encrypt(nonce, data, None)
