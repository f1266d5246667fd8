import ssl

from OpenSSL import SSL


def legacy_context():
    # ruleid: python.ssl.ssl-weak-protocol-version
    return ssl.SSLContext(ssl.PROTOCOL_TLSv1)


def allow_old_clients(ctx):
    # ruleid: python.ssl.ssl-weak-protocol-version
    ctx.minimum_version = ssl.TLSVersion.TLSv1_1


def pyopenssl_context():
    # ruleid: python.ssl.ssl-weak-protocol-version
    return SSL.Context(SSL.SSLv3_METHOD)


def modern_context():
    # ok: python.ssl.ssl-weak-protocol-version
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def require_tls12(ctx):
    # ok: python.ssl.ssl-weak-protocol-version
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2


def disable_old(ctx):
    # ok: python.ssl.ssl-weak-protocol-version
    ctx.options |= ssl.OP_NO_TLSv1 | ssl.OP_NO_TLSv1_1


def pyopenssl_modern():
    # ok: python.ssl.ssl-weak-protocol-version
    return SSL.Context(SSL.TLS_CLIENT_METHOD)


def wrap(sock):
    # ruleid: python.ssl.ssl-weak-protocol-version
    return ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_SSLv3)


def is_legacy(ctx):
    # ok: python.ssl.ssl-weak-protocol-version
    return ctx.protocol == ssl.PROTOCOL_TLSv1


# ok: python.ssl.ssl-weak-protocol-version
LEGACY_NAMES = {ssl.PROTOCOL_TLSv1: "TLS 1.0", ssl.PROTOCOL_TLSv1_1: "TLS 1.1"}
