import ssl

import urllib3


def client():
    # ruleid: python.urllib3.urllib3-cert-verification-disabled
    return urllib3.PoolManager(cert_reqs="CERT_NONE")


def pool(host):
    # ruleid: python.urllib3.urllib3-cert-verification-disabled
    return urllib3.HTTPSConnectionPool(host, port=443, cert_reqs=ssl.CERT_NONE)


def proxy(url):
    # ruleid: python.urllib3.urllib3-cert-verification-disabled
    return urllib3.ProxyManager(url, cert_reqs='CERT_NONE')


def client_verified():
    # ok: python.urllib3.urllib3-cert-verification-disabled
    return urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs="/etc/myapp/ca.pem")


def client_default():
    # ok: python.urllib3.urllib3-cert-verification-disabled
    return urllib3.PoolManager()
