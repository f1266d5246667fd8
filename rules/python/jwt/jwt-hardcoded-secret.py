import os

import jwt
from django.conf import settings


def issue(user_id):
    # ruleid: python.jwt.jwt-hardcoded-secret
    return jwt.encode({"sub": user_id}, "my-super-secret", algorithm="HS256")


def verify(token):
    # ruleid: python.jwt.jwt-hardcoded-secret
    return jwt.decode(token, key="my-super-secret", algorithms=["HS256"])


def issue_from_env(user_id):
    # ok: python.jwt.jwt-hardcoded-secret
    return jwt.encode({"sub": user_id}, os.environ["JWT_SECRET"], algorithm="HS256")


def verify_from_settings(token):
    # ok: python.jwt.jwt-hardcoded-secret
    return jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"])
