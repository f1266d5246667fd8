import jwt


def issue(claims):
    # ruleid: python.jwt.jwt-none-algorithm
    return jwt.encode(claims, key=None, algorithm="none")


def accept(token, key):
    # ruleid: python.jwt.jwt-none-algorithm
    return jwt.decode(token, key, algorithms=["HS256", "none"])


def issue_signed(claims, key):
    # ok: python.jwt.jwt-none-algorithm
    return jwt.encode(claims, key, algorithm="HS256")


def accept_signed(token, key):
    # ok: python.jwt.jwt-none-algorithm
    return jwt.decode(token, key, algorithms=["HS256"])
