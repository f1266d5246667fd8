import hashlib

# ruleid: metavariable-regex-secret-name
db_password = "hunter2"

# ruleid: metavariable-regex-secret-name
API_TOKEN = "tok_live_42"

# ok: metavariable-regex-secret-name
username = "admin"

# ok: metavariable-regex-secret-name
session_timeout = "30m"

# ruleid: metavariable-regex-secret-name
password_hash_salt = "pepper"

# ok: metavariable-regex-secret-name
PASSWORD_LABEL = 3


def render(template, context):
    # ruleid: metavariable-regex-anchored-prefix
    html = unsafe_render(template, context)
    # ok: metavariable-regex-anchored-prefix
    text = render_unsafe_(template, context)
    # ok: metavariable-regex-anchored-prefix
    safe = escape_unsafe_chars(html)
    return text, safe


def digest(data):
    # ruleid: metavariable-regex-weak-hash-name
    first = hashlib.md5(data)
    # ruleid: metavariable-regex-weak-hash-name
    second = hashlib.sha1(data)
    # ok: metavariable-regex-weak-hash-name
    third = hashlib.sha256(data)
    # ok: metavariable-regex-weak-hash-name
    fourth = hashlib.new("md5", data)
    return first, second, third, fourth
