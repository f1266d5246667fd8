import ssl


def make_context():
    ctx = ssl.create_default_context()
    # ruleid: python.ssl.ssl-check-hostname-disabled
    ctx.check_hostname = False
    return ctx


class Client:
    def __init__(self):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        # ruleid: python.ssl.ssl-check-hostname-disabled
        self.context.check_hostname = False


def make_strict_context():
    ctx = ssl.create_default_context()
    # ok: python.ssl.ssl-check-hostname-disabled
    ctx.check_hostname = True
    return ctx


def report(ctx):
    # ok: python.ssl.ssl-check-hostname-disabled
    enabled = ctx.check_hostname
    return enabled
