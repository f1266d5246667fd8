import requests
import requests as rq


def fetch(url):
    # ruleid: python.requests.requests-verify-disabled
    return requests.get(url, verify=False, timeout=10)


def submit(url, payload):
    # ruleid: python.requests.requests-verify-disabled
    return rq.post(url, json=payload, verify=False)


def generic(url):
    # ruleid: python.requests.requests-verify-disabled
    return requests.request("PUT", url, data=b"x", verify=False)


def with_session(url):
    session = requests.Session()
    # ruleid: python.requests.requests-verify-disabled
    session.verify = False
    return session.get(url)


def with_context_manager(url):
    with requests.Session() as http:
        # ruleid: python.requests.requests-verify-disabled
        return http.request("GET", url, verify=False)


def fetch_verified(url):
    # ok: python.requests.requests-verify-disabled
    return requests.get(url, verify=True, timeout=10)


def fetch_private_ca(url):
    # ok: python.requests.requests-verify-disabled
    return requests.get(url, verify="/etc/myapp/ca.pem", timeout=10)


def session_private_ca(url):
    session = requests.Session()
    # ok: python.requests.requests-verify-disabled
    session.verify = "/etc/myapp/ca.pem"
    return session.get(url)
