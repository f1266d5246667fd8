import socket
import ssl
from ssl import CERT_NONE


def client_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    # ruleid: python.ssl.ssl-cert-verification-disabled
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def client_context_alias(ctx):
    # ruleid: python.ssl.ssl-cert-verification-disabled
    ctx.verify_mode = CERT_NONE


def legacy_wrap(sock):
    # ruleid: python.ssl.ssl-cert-verification-disabled
    return ssl.wrap_socket(sock, cert_reqs=ssl.CERT_NONE)


def verified_context():
    ctx = ssl.create_default_context()
    # ok: python.ssl.ssl-cert-verification-disabled
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def is_insecure(ctx):
    # ok: python.ssl.ssl-cert-verification-disabled
    return ctx.verify_mode == ssl.CERT_NONE


def connect(host):
    # ok: python.ssl.ssl-cert-verification-disabled
    return socket.create_connection((host, 443))
