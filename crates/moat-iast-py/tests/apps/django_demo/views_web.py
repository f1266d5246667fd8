"""Django's web sinks: HTML responses and templates (XSS), redirects, response headers,
the session, cookie flags, security headers and leaked tracebacks."""

import logging
import random
import secrets
import string
import traceback

from django.http import BadHeaderError, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import TemplateView

from cases import case

SCRIPT = "<script>alert(document.cookie)</script>"
log = logging.getLogger(__name__)


# -- XSS ------------------------------------------------------------------------------


@case("XSS", True, params={"name": SCRIPT})
def xss_response(request):
    name = request.GET.get("name", "guest")
    return HttpResponse(f"<p>Hello {name}</p>")  # report


@case("XSS", False, params={"name": SCRIPT})
def xss_response_escaped(request):
    name = escape(request.GET.get("name", "guest"))
    return HttpResponse(f"<p>Hello {name}</p>")


@case("XSS", False, params={"name": SCRIPT})
def xss_format_html(request):
    return HttpResponse(format_html("<p>Hello {}</p>", request.GET.get("name", "guest")))


@case("XSS", True, params={"name": SCRIPT})
def xss_format_html_template(request):
    # The format string itself is the request's: format_html escapes only arguments.
    template = "<p>Hello " + request.GET.get("name", "guest") + ", you have {} messages</p>"
    return HttpResponse(format_html(template, 3))  # report


@case("XSS", True, params={"name": SCRIPT})
def xss_mark_safe(request):
    greeting = mark_safe("<p>Hello " + request.GET.get("name", "guest") + "</p>")  # report
    return HttpResponse(greeting)


@case("XSS", False, params={"name": SCRIPT})
def xss_mark_safe_escaped(request):
    greeting = mark_safe("<p>Hello " + escape(request.GET.get("name", "guest")) + "</p>")
    return HttpResponse(greeting)


@case("XSS", True, params={"item": SCRIPT})
def xss_write(request):
    response = HttpResponse()
    response.write("<ul>")
    response.write("<li>" + request.GET.get("item", "") + "</li>")  # report
    response.write("</ul>")
    return response


@case("XSS", False, params={"name": SCRIPT})
def xss_template_autoescape(request):
    return render(request, "greeting.html", {"name": request.GET.get("name", "guest")})


@case("XSS", True, params={"name": "bob", "bio": SCRIPT})
def xss_template_safe_filter(request):
    context = {"name": request.GET.get("name", ""), "bio": request.GET.get("bio", "")}
    return render(request, "profile.html", context)  # report


@case("XSS", False, params={"name": "<b>bob</b>", "bio": SCRIPT})
def xss_template_safe_filter_escaped(request):
    context = {"name": request.GET.get("name", ""), "bio": escape(request.GET.get("bio", ""))}
    return render(request, "profile.html", context)


@case("XSS", True, path="/profile-page", params={"name": "bob", "bio": SCRIPT})
class ProfilePage(TemplateView):  # report
    # Rendered by Django after the view returned: reported at the view.
    template_name = "profile.html"

    def get_context_data(self, **kwargs):
        return {"name": self.request.GET.get("name", ""), "bio": self.request.GET.get("bio", "")}


@case("XSS", False, path="/profile-page-escaped", params={"name": "bob", "bio": SCRIPT})
class ProfilePageEscaped(TemplateView):
    template_name = "profile.html"

    def get_context_data(self, **kwargs):
        return {"name": self.request.GET.get("name", ""), "bio": escape(self.request.GET.get("bio", ""))}


@case("XSS", False, params={"name": SCRIPT})
def xss_plain_text(request):
    return HttpResponse("Hello " + request.GET.get("name", "guest"), content_type="text/plain")


@case("XSS", False, params={"name": SCRIPT})
def xss_json(request):
    return JsonResponse({"greeting": "Hello " + request.GET.get("name", "guest")})


# -- redirects ------------------------------------------------------------------------


@case("UNVALIDATED_REDIRECT", True, params={"next": "https://evil.example/login"})
def redirect_next(request):
    return redirect(request.GET.get("next", "/"))  # report


@case("UNVALIDATED_REDIRECT", True, params={"next": "//evil.example/login"})
def redirect_response_class(request):
    return HttpResponseRedirect(request.GET.get("next", "/"))  # report


@case("UNVALIDATED_REDIRECT", False, params={"next": "https://evil.example/login"})
def redirect_validated(request):
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=True):
        target = "/"
    return redirect(target)


@case("UNVALIDATED_REDIRECT", False, params={"next": "/account/settings"})
def redirect_validated_local(request):
    target = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=True):
        return redirect(target)
    return redirect("/")


@case("UNVALIDATED_REDIRECT", False, params={"section": "evil.example"})
def redirect_local_path(request):
    return redirect("/help/" + request.GET.get("section", "index"))


# -- response headers -----------------------------------------------------------------


@case("HEADER_INJECTION", True, params={"label": "blue\r\nSet-Cookie: role=admin"})
def header_injection(request):
    response = HttpResponse("labelled", content_type="text/plain")
    try:
        response["X-Label"] = request.GET.get("label", "")  # report
    except BadHeaderError:
        return HttpResponseBadRequest("bad label", content_type="text/plain")
    return response


@case("HEADER_INJECTION", False, params={"label": "blue\r\nSet-Cookie: role=admin"})
def header_stripped(request):
    label = request.GET.get("label", "").replace("\r", "").replace("\n", "")
    return HttpResponse("labelled", content_type="text/plain", headers={"X-Label": label})


# -- session --------------------------------------------------------------------------


@case("TRUST_BOUNDARY_VIOLATION", True, params={"theme": "dark"})
def session_theme(request):
    request.session["theme"] = request.GET.get("theme", "light")  # report
    return JsonResponse({"saved": True})


@case("TRUST_BOUNDARY_VIOLATION", False, params={"theme": "x" * 40})
def session_theme_allowed(request):
    theme = request.GET.get("theme", "light")
    request.session["theme"] = "dark" if theme == "dark" else "light"
    return JsonResponse({"saved": True})


# -- cookies --------------------------------------------------------------------------


@case("INSECURE_COOKIE", True)
def cookie_insecure(request):
    response = JsonResponse({"saved": True})
    response.set_cookie("theme", "dark", httponly=True, samesite="Lax")  # report
    return response


@case("NO_HTTPONLY_COOKIE", True)
def cookie_no_httponly(request):
    response = JsonResponse({"saved": True})
    response.set_cookie("theme", "dark", secure=True, samesite="Strict")  # report
    return response


@case("NO_SAMESITE_COOKIE", True)
def cookie_no_samesite(request):
    response = JsonResponse({"saved": True})
    response.set_cookie("theme", "dark", secure=True, httponly=True)  # report
    return response


# -- weak randomness ------------------------------------------------------------------


@case("WEAK_RANDOMNESS", True)
def random_session_token(request):
    response = JsonResponse({"saved": True})
    token = "%032x" % random.getrandbits(128)
    response.set_cookie("token", token, secure=True, httponly=True, samesite="Lax")  # report
    return response


@case("WEAK_RANDOMNESS", True)
def random_reset_code(request):
    code = "".join(random.choice(string.ascii_letters + string.digits) for _ in range(12))
    request.session["reset_code"] = code  # report
    return JsonResponse({"sent": True})


@case("WEAK_RANDOMNESS", False)
def secrets_session_token(request):
    response = JsonResponse({"saved": True})
    response.set_cookie("token", secrets.token_hex(16), secure=True, httponly=True, samesite="Lax")
    return response


@case("INSECURE_COOKIE", False)
def cookie_hardened(request):
    response = JsonResponse({"saved": True})
    response.set_cookie("theme", "dark", secure=True, httponly=True, samesite="Lax")
    response.delete_cookie("legacy_theme")
    return response


# -- security headers and tracebacks ---------------------------------------------------


@case("HSTS_HEADER_MISSING", True)
def hsts_missing(request):  # report
    response = HttpResponse("<h1>Account</h1>")
    response.demo_without_headers = ["Strict-Transport-Security"]
    return response


@case("HSTS_HEADER_MISSING", False)
def hsts_present(request):
    return HttpResponse("<h1>Account</h1>")


class AccountPage(View):
    @case("XCONTENTTYPE_HEADER_MISSING", True, path="/nosniff-missing")
    def get(self, request):  # report
        response = HttpResponse("<h1>Account</h1>")
        response.demo_without_headers = ["X-Content-Type-Options"]
        return response


@case("XCONTENTTYPE_HEADER_MISSING", False)
def nosniff_missing_json(request):
    # Not HTML: no browser renders it as a page.
    response = JsonResponse({"account": "bob"})
    response.demo_without_headers = ["X-Content-Type-Options", "Strict-Transport-Security"]
    return response


@case("STACKTRACE_LEAK", True, params={"quantity": "many"})
def stacktrace_leak(request):  # report
    try:
        quantity = int(request.GET.get("quantity", "1"))
    except ValueError:
        return HttpResponse("<pre>" + traceback.format_exc() + "</pre>", status=400)
    return HttpResponse(f"<p>{quantity} items</p>")


@case("STACKTRACE_LEAK", False, params={"quantity": "many"})
def stacktrace_logged(request):
    try:
        quantity = int(request.GET.get("quantity", "1"))
    except ValueError:
        log.info("bad quantity", exc_info=True)
        return HttpResponseBadRequest("<p>The quantity must be a number.</p>")
    return HttpResponse(f"<p>{quantity} items</p>")


urlpatterns = [
    path("xss-response", xss_response),
    path("xss-response-escaped", xss_response_escaped),
    path("xss-format-html", xss_format_html),
    path("xss-format-html-template", xss_format_html_template),
    path("xss-mark-safe", xss_mark_safe),
    path("xss-mark-safe-escaped", xss_mark_safe_escaped),
    path("xss-write", xss_write),
    path("xss-template-autoescape", xss_template_autoescape),
    path("xss-template-safe-filter", xss_template_safe_filter),
    path("xss-template-safe-filter-escaped", xss_template_safe_filter_escaped),
    path("profile-page", ProfilePage.as_view()),
    path("profile-page-escaped", ProfilePageEscaped.as_view()),
    path("xss-plain-text", xss_plain_text),
    path("xss-json", xss_json),
    path("redirect-next", redirect_next),
    path("redirect-response-class", redirect_response_class),
    path("redirect-validated", redirect_validated),
    path("redirect-validated-local", redirect_validated_local),
    path("redirect-local-path", redirect_local_path),
    path("header-injection", header_injection),
    path("header-stripped", header_stripped),
    path("session-theme", session_theme),
    path("session-theme-allowed", session_theme_allowed),
    path("cookie-insecure", cookie_insecure),
    path("cookie-no-httponly", cookie_no_httponly),
    path("cookie-no-samesite", cookie_no_samesite),
    path("cookie-hardened", cookie_hardened),
    path("random-session-token", random_session_token),
    path("random-reset-code", random_reset_code),
    path("secrets-session-token", secrets_session_token),
    path("hsts-missing", hsts_missing),
    path("hsts-present", hsts_present),
    path("nosniff-missing", AccountPage.as_view()),
    path("nosniff-missing-json", nosniff_missing_json),
    path("stacktrace-leak", stacktrace_leak),
    path("stacktrace-logged", stacktrace_logged),
]
