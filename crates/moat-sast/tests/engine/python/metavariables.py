import os


def check(user, other, a, b):
    # ruleid: metavariables-self-comparison
    if user.id == user.id:
        return True
    # ruleid: metavariables-self-comparison
    same = a == a
    # ruleid: metavariables-self-comparison
    spaced = (user . id) == user.id
    # ok: metavariables-self-comparison
    equal = a == b
    # ok: metavariables-self-comparison
    if user.id == other.id:
        return False
    # ok: metavariables-self-comparison
    assigned = a != a
    return same, spaced, equal, assigned


def collect(items, item):
    # ruleid: metavariables-list-appended-to-itself
    items.append(items)
    # ok: metavariables-list-appended-to-itself
    items.append(item)
    # ok: metavariables-list-appended-to-itself
    items.extend(items)


def rotate(log_path, archive_path):
    # ruleid: metavariables-anonymous-rename
    os.rename(log_path, archive_path)
    # ruleid: metavariables-anonymous-rename
    os.rename(log_path, log_path)
    # ok: metavariables-anonymous-rename
    os.replace(log_path, archive_path)


# ruleid: metavariables-identity-function
def passthrough(value):
    return value


# ok: metavariables-identity-function
def constant(value):
    return DEFAULT


# ok: metavariables-identity-function
def double(value):
    return value * 2


DEFAULT = None
