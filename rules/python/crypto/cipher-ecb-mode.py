from Crypto.Cipher import AES, DES3
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_cryptography(key, data):
    # ruleid: python.crypto.cipher-ecb-mode
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def encrypt_pycryptodome(key, data):
    # ruleid: python.crypto.cipher-ecb-mode
    cipher = AES.new(key, AES.MODE_ECB)
    return cipher.encrypt(data)


def encrypt_keyword(key, data):
    # ruleid: python.crypto.cipher-ecb-mode
    return DES3.new(key, mode=DES3.MODE_ECB).encrypt(data)


def encrypt_cbc(key, iv, data):
    # ok: python.crypto.cipher-ecb-mode
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def encrypt_gcm(key, data):
    # ok: python.crypto.cipher-ecb-mode
    cipher = AES.new(key, AES.MODE_GCM)
    return cipher.encrypt_and_digest(data)
