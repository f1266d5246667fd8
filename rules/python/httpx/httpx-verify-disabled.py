import ssl

import httpx


def fetch(url):
    # ruleid: python.httpx.httpx-verify-disabled
    return httpx.get(url, verify=False)


def make_client():
    # ruleid: python.httpx.httpx-verify-disabled
    return httpx.Client(base_url="https://api.internal", verify=False)


def make_async_client():
    # ruleid: python.httpx.httpx-verify-disabled
    return httpx.AsyncClient(verify=False, timeout=5)


def fetch_verified(url):
    # ok: python.httpx.httpx-verify-disabled
    return httpx.get(url, verify=True)


def make_private_ca_client():
    ctx = ssl.create_default_context(cafile="/etc/myapp/ca.pem")
    # ok: python.httpx.httpx-verify-disabled
    return httpx.Client(verify=ctx)
