import jwt
from jose import jwt as jose_jwt


def current_user(token):
    # ruleid: python.jwt.jwt-signature-verification-disabled
    claims = jwt.decode(token, options={"verify_signature": False})
    return claims["sub"]


def current_user_with_key(token, key):
    # ruleid: python.jwt.jwt-signature-verification-disabled
    return jwt.decode(token, key, algorithms=["HS256"], options={"verify_exp": True, "verify_signature": False})


def legacy(token):
    # ruleid: python.jwt.jwt-signature-verification-disabled
    return jwt.decode(token, verify=False)


def with_jose(token, key):
    # ruleid: python.jwt.jwt-signature-verification-disabled
    return jose_jwt.decode(token, key, options={"verify_signature": False})


def current_user_verified(token, key):
    # ok: python.jwt.jwt-signature-verification-disabled
    return jwt.decode(token, key, algorithms=["RS256"], audience="my-api")


def skip_expiry_only(token, key):
    # ok: python.jwt.jwt-signature-verification-disabled
    return jwt.decode(token, key, algorithms=["HS256"], options={"verify_exp": False})


def header(token):
    # ok: python.jwt.jwt-signature-verification-disabled
    return jwt.get_unverified_header(token)
