import requests


def fetch_items():
    # ruleid: python.requests.requests-cleartext-http
    return requests.get("http://api.example.com/v1/items", timeout=10)


def login(user, password):
    # ruleid: python.requests.requests-cleartext-http
    return requests.post(url="http://auth.example.com/login", data={"u": user, "p": password})


def fetch_items_tls():
    # ok: python.requests.requests-cleartext-http
    return requests.get("https://api.example.com/v1/items", timeout=10)


def health():
    # ok: python.requests.requests-cleartext-http
    return requests.get("http://localhost:8080/health", timeout=2)


def metadata():
    # ok: python.requests.requests-cleartext-http
    return requests.get("http://127.0.0.1:9100/metrics", timeout=2)


def download():
    # ruleid: python.requests.requests-cleartext-http
    return requests.request("GET", "http://downloads.example.org/file.tar.gz")
