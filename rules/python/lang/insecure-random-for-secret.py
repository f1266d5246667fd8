import random
import secrets
import string
from random import choice

ALPHABET = string.ascii_letters + string.digits


def create_user(user):
    # ruleid: python.lang.insecure-random-for-secret
    reset_token = "%032x" % random.getrandbits(128)
    user.reset_token = reset_token


def make_otp():
    # ruleid: python.lang.insecure-random-for-secret
    code = random.randint(100000, 999999)
    return code


def generate_password(length=16):
    # ruleid: python.lang.insecure-random-for-secret
    return "".join(choice(ALPHABET) for _ in range(length))


def issue_api_key():
    # ruleid: python.lang.insecure-random-for-secret
    return "".join(random.choices(ALPHABET, k=40))


def make_token_safe():
    # ok: python.lang.insecure-random-for-secret
    return secrets.token_urlsafe(32)


def backoff(attempt):
    # ok: python.lang.insecure-random-for-secret
    delay = random.uniform(0, 2 ** attempt)
    return delay


def pick_color(colors):
    # ok: python.lang.insecure-random-for-secret
    return random.choice(colors)


def generate_passphrase(words):
    # ok: python.lang.insecure-random-for-secret
    return " ".join(random.SystemRandom().choice(words) for _ in range(6))
