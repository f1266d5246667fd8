import ssl
import urllib.request
from ssl import _create_unverified_context


def fetch(url):
    # ruleid: python.ssl.ssl-unverified-context
    ctx = ssl._create_unverified_context()
    return urllib.request.urlopen(url, context=ctx).read()


def fetch_alias(url):
    # ruleid: python.ssl.ssl-unverified-context
    return urllib.request.urlopen(url, context=_create_unverified_context()).read()


# ruleid: python.ssl.ssl-unverified-context
ssl._create_default_https_context = ssl._create_unverified_context


def fetch_verified(url):
    # ok: python.ssl.ssl-unverified-context
    ctx = ssl.create_default_context()
    return urllib.request.urlopen(url, context=ctx).read()


def fetch_private_ca(url):
    # ok: python.ssl.ssl-unverified-context
    ctx = ssl.create_default_context(cafile="/etc/myapp/ca.pem")
    return urllib.request.urlopen(url, context=ctx).read()
