import requests

# ruleid: pattern-not-regex-hardcoded-password
DB_PASSWORD = "hunter2"

# ruleid: pattern-not-regex-hardcoded-password
PASSWORD = "correct horse battery staple"

# ok: pattern-not-regex-hardcoded-password
ADMIN_PASSWORD = "changeme"

# ok: pattern-not-regex-hardcoded-password
SMTP_PASSWORD = "<smtp-password>"

# ok: pattern-not-regex-hardcoded-password
CACHE_PASSWORD = ""

# ok: pattern-not-regex-hardcoded-password
USERNAME = "admin"


def health():
    # ruleid: pattern-not-regex-remote-http
    requests.get("http://api.example.com/health")
    # ok: pattern-not-regex-remote-http
    requests.get("http://localhost:8000/health")
    # ok: pattern-not-regex-remote-http
    requests.get("http://127.0.0.1/status")
    # ruleid: pattern-not-regex-remote-http
    requests.get("https://localhost.example.com/")
