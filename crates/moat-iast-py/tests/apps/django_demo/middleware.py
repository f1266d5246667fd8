"""Middleware of the demo deployment."""


def behind_tls_proxy(get_response):
    """Plays the TLS-terminating proxy in front of the app: it tells Django the client
    connected over HTTPS, as `SECURE_PROXY_SSL_HEADER` expects."""

    def middleware(request):
        request.META["HTTP_X_FORWARDED_PROTO"] = "https"
        return get_response(request)

    return middleware


def without_security_headers(get_response):
    """Drops the headers SecurityMiddleware added that a view lists in
    `response.demo_without_headers`: the cases of the missing-header checks."""

    def middleware(request):
        response = get_response(request)
        for header in getattr(response, "demo_without_headers", ()):
            del response[header]
        return response

    return middleware
