from Crypto.Cipher import AES, ARC4, DES, ChaCha20_Poly1305
from Cryptodome.Cipher import Blowfish
import Crypto.Cipher.DES3


def encrypt_des(key, data):
    # ruleid: python.crypto.insecure-cipher-pycryptodome
    cipher = DES.new(key, DES.MODE_CBC)
    return cipher.encrypt(data)


def encrypt_rc4(key, data):
    # ruleid: python.crypto.insecure-cipher-pycryptodome
    return ARC4.new(key).encrypt(data)


def encrypt_blowfish(key, data):
    # ruleid: python.crypto.insecure-cipher-pycryptodome
    return Blowfish.new(key, Blowfish.MODE_CBC).encrypt(data)


def encrypt_3des(key, data):
    # ruleid: python.crypto.insecure-cipher-pycryptodome
    return Crypto.Cipher.DES3.new(key, Crypto.Cipher.DES3.MODE_CBC).encrypt(data)


def encrypt_aes(key, data):
    # ok: python.crypto.insecure-cipher-pycryptodome
    cipher = AES.new(key, AES.MODE_GCM)
    return cipher.encrypt_and_digest(data)


def encrypt_chacha(key, data):
    # ok: python.crypto.insecure-cipher-pycryptodome
    return ChaCha20_Poly1305.new(key=key).encrypt_and_digest(data)
