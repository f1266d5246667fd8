"""Django: the request cycle opens a taint context, request data is tainted where Django
builds it, and Django's own sinks are checked: raw SQL through its cursor wrapper,
HTML responses, redirects, response headers, the session, cookies, and the final
response (security headers, leaked tracebacks).

Every hook waits for its module (`_patches.when_imported`), so the agent imports no part
of Django the application does not. Outside an analysed request each hook returns after
one context-variable read.
"""

from __future__ import annotations

import contextvars
import functools
import os
import sys
from types import ModuleType
from typing import Any, Callable, Optional

from moat_iast import _config, _context, _patches, _randomness, _report, _sinks

_AGENT_DIR = os.path.dirname(os.path.realpath(__file__)) + os.sep
_ORIGINAL = "__moat_iast_original__"
_HOOKS = "__moat_iast_hooks__"

# While a request's URL is resolved: the captured groups of each matching pattern, as
# (start counted back from the end of the path, length, name).
_resolving: contextvars.ContextVar[Optional[list]] = contextvars.ContextVar("moat_iast_django_resolving", default=None)

# Keys of `Request.extra` used here.
_CHECKED = "django.checked_sql"
_PIECES = "django.template_pieces"
_MAX_PIECES = 1000


# -- helpers ---------------------------------------------------------------------------


def _ctx() -> Any:
    return _context.current()


def _extra(key: str, default: Callable[[], Any]) -> Any:
    request = _context.request()
    if request is None:
        return default()
    value = request.extra.get(key)
    if value is None:
        value = request.extra[key] = default()
    return value


_app_files: dict = {}


def _is_app_file(filename: str) -> bool:
    """Whether code in `filename` is the application's own (under an application root,
    outside the agent, the standard library and site-packages). Cached per file."""
    known = _app_files.get(filename)
    if known is None:
        path = os.path.realpath(filename)
        known = not path.startswith(_AGENT_DIR) and _config.is_application(path)
        _app_files[filename] = known
    return known


def _caller(skip_files: tuple = ()) -> Optional[tuple[str, int]]:
    """The application line that called into Django: the first frame outside the agent
    and outside `skip_files` (Django modules ending so), when it is application code.
    None when Django called the sink itself (middleware, the handler)."""
    frame: Any = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not os.path.realpath(filename).startswith(_AGENT_DIR) and not filename.endswith(skip_files):
            break
        frame = frame.f_back
    if frame is None or not _is_app_file(frame.f_code.co_filename):
        return None
    roots = _config.get().app_roots
    return _report.relative(os.path.realpath(frame.f_code.co_filename), roots), frame.f_lineno


def _check(kind: str, value: Any, location: Optional[tuple[str, int]] = None) -> bool:
    """`_sinks.check`: True when tainted text in `value` makes the sink exploitable.
    Sinks Django reaches with no application code on the stack are not reported."""
    return _sinks.check(kind, value, location=location)


def _check_nested(kind: str, value: Any, depth: int = 0) -> None:
    """`_check` on a str, or on the strings inside dicts, lists, tuples and sets."""
    if isinstance(value, (str, bytes)):
        _check(kind, value)
    elif depth < 4 and isinstance(value, dict):
        for key, item in list(value.items())[:100]:
            _check_nested(kind, key, depth + 1)
            _check_nested(kind, item, depth + 1)
    elif depth < 4 and isinstance(value, (list, tuple, set, frozenset)):
        for item in list(value)[:100]:
            _check_nested(kind, item, depth + 1)


def _hooked(original: Any, name: str) -> bool:
    """Whether `original` already carries the hook `name` (hooks of different areas on
    one function layer, each once, as `_sinks.wrap` does)."""
    return name in getattr(original, _HOOKS, ())


def _layer(wrapper: Any, original: Any, name: str) -> Any:
    setattr(wrapper, _ORIGINAL, original)
    setattr(wrapper, _HOOKS, frozenset(getattr(original, _HOOKS, ())) | {name})
    return wrapper


def _wrap_after(owner: Any, attr: str, after: Callable[..., Any], name: str) -> None:
    """Replaces `owner.attr` so `after(result, *args, **kwargs)` runs as a fail-open hook
    once the original returned, inside an analysed request. The caller gets the
    original's result (or exception) unchanged."""
    original = owner.__dict__.get(attr) if isinstance(owner, type) else getattr(owner, attr, None)
    if original is None or _hooked(original, "django"):
        return
    guarded = _sinks.hook(name)(after)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if _context.current() is not None:
            guarded(result, *args, **kwargs)
        return result

    _layer(wrapper, original, "django")
    setattr(owner, attr, wrapper)


_class_lines: dict = {}


def _class_location(cls: type) -> Optional[tuple[str, int]]:
    """The file and `class` line of an application class (cached)."""
    if cls not in _class_lines:
        import inspect

        location = None
        try:
            filename = inspect.getsourcefile(cls)
            lines, first = inspect.getsourcelines(cls)
            if filename and _is_app_file(filename):
                offset = next((i for i, text in enumerate(lines) if text.lstrip().startswith("class ")), 0)
                roots = _config.get().app_roots
                location = (_report.relative(os.path.realpath(filename), roots), first + offset)
        except (OSError, TypeError):
            pass
        _class_lines[cls] = location
    return _class_lines[cls]


def _view_location(view: Any, method: Optional[str]) -> Optional[tuple[str, int]]:
    """The file and `def` line of the application code serving the request: a view
    function (through its decorators), or a class-based view's handler for the method
    (the `class` line when the handler is inherited from Django, as in `TemplateView`)."""
    if view is None:
        return None
    import inspect

    view_class = getattr(view, "view_class", None)
    target = view
    if view_class is not None:
        target = getattr(view_class, (method or "get").lower(), None) or getattr(view_class, "dispatch", None)
    location = None
    if target is not None:
        try:
            target = inspect.unwrap(target)
        except ValueError:
            pass
        location = _sinks.code_location(target)
    if location is None and isinstance(view_class, type):
        location = _class_location(view_class)
    return location


# -- request cycle ---------------------------------------------------------------------


def _start(method: Any, path: Any) -> None:
    try:
        _context.start(method, path)
    except Exception:  # fail open: the request runs untracked
        pass


def _patch_wsgi(module: ModuleType) -> None:
    handler = module.WSGIHandler
    original = handler.__call__
    if _hooked(original, "django"):
        return

    @functools.wraps(original)
    def __call__(self: Any, environ: Any, start_response: Any) -> Any:
        _start(environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
        try:
            return original(self, environ, start_response)
        finally:
            _context.end()

    _layer(__call__, original, "django")
    handler.__call__ = __call__
    _patch_request_class(module.WSGIRequest)


def _patch_asgi(module: ModuleType) -> None:
    handler = module.ASGIHandler
    original = handler.__call__
    if _hooked(original, "django"):
        return

    @functools.wraps(original)
    async def __call__(self: Any, scope: Any, receive: Any, send: Any) -> Any:
        if not isinstance(scope, dict) or scope.get("type") != "http":
            return await original(self, scope, receive, send)
        # The tasks and threads Django starts for the request copy this context.
        _start(scope.get("method"), scope.get("path"))
        try:
            return await original(self, scope, receive, send)
        finally:
            _context.end()

    _layer(__call__, original, "django")
    handler.__call__ = __call__
    _patch_request_class(module.ASGIRequest)


def _patch_base_handler(module: ModuleType) -> None:
    base = module.BaseHandler
    original_resolve = base.__dict__.get("resolve_request")
    if original_resolve is not None and not _hooked(original_resolve, "django"):

        @functools.wraps(original_resolve)
        def resolve_request(self: Any, request: Any) -> Any:
            if _context.current() is None:
                return original_resolve(self, request)
            spans: list = []
            token = _resolving.set(spans)
            try:
                match = original_resolve(self, request)
            finally:
                _resolving.reset(token)
            _resolved(request, match, spans)
            return match

        _layer(resolve_request, original_resolve, "django")
        base.resolve_request = resolve_request

    _wrap_after(base, "get_response", _final_response, "django.get_response")
    original_async = base.__dict__.get("get_response_async")
    if original_async is not None and not _hooked(original_async, "django"):
        guarded = _sinks.hook("django.get_response_async")(_final_response)

        @functools.wraps(original_async)
        async def get_response_async(self: Any, request: Any) -> Any:
            response = await original_async(self, request)
            if _context.current() is not None:
                guarded(response, self, request)
            return response

        _layer(get_response_async, original_async, "django")
        base.get_response_async = get_response_async


@_sinks.hook("django.resolve_request")
def _resolved(request: Any, match: Any, spans: list) -> None:
    """Once the URL is resolved: records the view, taints the values captured from the
    path (the view's arguments) and the characters they came from in `request.path`."""
    ctx = _ctx()
    state = _context.request()
    if ctx is None or match is None:
        return
    if state is not None:
        state.view = getattr(match, "func", None)
    names = {name for _, _, name in spans}
    captured = getattr(match, "captured_kwargs", None) or {}
    for key, value in (getattr(match, "kwargs", None) or {}).items():
        if isinstance(value, str) and (key in names or key in captured):
            ctx.taint(value, "path_parameter", key)
    for index, value in enumerate(getattr(match, "args", None) or ()):
        if isinstance(value, str):
            ctx.taint(value, "path_parameter", str(index))
    if not spans:
        return
    path_info = getattr(request, "path_info", None)
    if not isinstance(path_info, str):
        return
    size = len(path_info)
    runs = sorted((size + back, length, "path_parameter", name) for back, length, name in spans if size + back >= 0)
    if not runs:
        return
    ctx.taint_runs(path_info, runs)
    path = getattr(request, "path", None)
    if isinstance(path, str) and path is not path_info and path.endswith(path_info):
        shift = len(path) - size
        ctx.taint_runs(path, [(start + shift, length, kind, name) for start, length, kind, name in runs])


def _pattern_spans(pattern: Any, path: Any, spans: list) -> None:
    """Adds the spans of the groups `pattern` captured from `path` (a suffix of the
    request's `path_info`), counted back from the end."""
    regex = getattr(pattern, "regex", None)
    if regex is None or not getattr(regex, "groups", 0) or not isinstance(path, str):
        return
    found = regex.search(path)
    if found is None:
        return
    named = regex.groupindex
    groups = list(named.items()) if named else [(str(i - 1), i) for i in range(1, regex.groups + 1)]
    for name, index in groups:
        start, end = found.span(index)
        if 0 <= start < end:
            spans.append((start - len(path), end - start, name))


def _patch_resolvers(module: ModuleType) -> None:
    guarded = _sinks.hook("django.resolve")(_pattern_spans)
    for cls in (module.URLPattern, module.URLResolver):
        original = cls.__dict__.get("resolve")
        if original is None or _hooked(original, "django"):
            continue

        def make(original: Any) -> Any:
            @functools.wraps(original)
            def resolve(self: Any, path: Any) -> Any:
                match = original(self, path)
                # Only matches on the way to the view return a result: a resolver whose
                # prefix matched but none of its patterns did raises instead.
                if match is not None:
                    spans = _resolving.get()
                    if spans is not None:
                        guarded(self.pattern, path, spans)
                return match

            _layer(resolve, original, "django")
            return resolve

        cls.resolve = make(original)


# -- sources ---------------------------------------------------------------------------

# `META` entries the client chooses besides headers. The rest of `META` is the server's
# (SERVER_NAME, REMOTE_ADDR, wsgi.*) and, under runserver, the process's environment.
# PATH_INFO is tainted where the URL's variables are, once the URL is resolved.
_CLIENT_ENVIRON = frozenset({"QUERY_STRING", "REQUEST_URI", "RAW_URI"})


def _taint_meta(ctx: Any, meta: Any) -> None:
    """The request's own entries of `META` (`request.headers` reads the same strings)."""
    if isinstance(meta, dict):
        ctx.taint_environ(meta, _CLIENT_ENVIRON)


def _taint_multi(ctx: Any, data: Any, kind: str) -> None:
    """Keys and values of a `QueryDict` (names are chosen by the client too)."""
    for key, values in data.lists():
        if isinstance(key, str):
            ctx.taint(key, kind, key)
        for value in values:
            if isinstance(value, str):
                ctx.taint(value, kind, key)


def _taint_query(data: Any) -> None:
    ctx = _ctx()
    if ctx is not None and hasattr(data, "lists"):
        _taint_multi(ctx, data, "parameter")


def _taint_cookies(cookies: Any) -> None:
    ctx = _ctx()
    if ctx is not None and isinstance(cookies, dict):
        for key, value in cookies.items():
            if isinstance(value, str):
                ctx.taint(value, "cookie", key)


def _wrap_cached(cls: type, name: str, taint: Callable[[Any], None]) -> None:
    """Taints what Django's `cached_property` `name` computes, once per request object:
    every accessor of the cached container then hands out tainted strings."""
    prop = cls.__dict__.get(name)
    func = getattr(prop, "func", None)
    if func is None or _hooked(func, "django"):
        return
    guarded = _sinks.hook(f"django.{cls.__name__}.{name}")(taint)

    @functools.wraps(func)
    def compute(instance: Any) -> Any:
        value = func(instance)
        if _context.current() is not None:
            guarded(value)
        return value

    _layer(compute, func, "django")
    prop.func = compute
    if hasattr(prop, "real_func"):
        prop.real_func = compute


def _patch_request_class(cls: type) -> None:
    original_init = cls.__dict__.get("__init__")
    if original_init is not None and not _hooked(original_init, "django"):
        guarded = _sinks.hook(f"django.{cls.__name__}.META")(_taint_meta)

        @functools.wraps(original_init)
        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            original_init(self, *args, **kwargs)
            ctx = _context.current()
            if ctx is not None:
                guarded(ctx, self.META)

        _layer(__init__, original_init, "django")
        cls.__init__ = __init__  # type: ignore[misc]
    _wrap_cached(cls, "GET", _taint_query)
    _wrap_cached(cls, "COOKIES", _taint_cookies)


def _loaded_post(result: Any, request: Any, *args: Any, **kwargs: Any) -> None:
    ctx = _ctx()
    post = request.__dict__.get("_post")
    if post is not None and hasattr(post, "lists"):
        _taint_multi(ctx, post, "parameter")
    files = request.__dict__.get("_files")
    if files is not None and hasattr(files, "lists"):
        for key, uploads in files.lists():
            for upload in uploads:
                name = getattr(upload, "name", None)
                if isinstance(name, str):
                    ctx.taint(name, "file", key)


def _escape_path(text: str) -> int:
    from django.utils.encoding import escape_uri_path

    return len(escape_uri_path(text))


def _full_path(result: Any, request: Any, path: Any, *args: Any, **kwargs: Any) -> None:
    """`get_full_path()`: the path's tainted characters where escaping moved them, and
    the query string after `?`."""
    ctx = _ctx()
    if not isinstance(result, str) or not isinstance(path, str):
        return
    runs = []
    for start, length, kind, name in ctx.ranges(path):
        runs.append((_escape_path(path[:start]), _escape_path(path[start : start + length]), kind, name))
    query = request.META.get("QUERY_STRING", "")
    mark = result.find("?")
    if query and mark >= 0 and len(result) - mark > 1:
        runs.append((mark + 1, len(result) - mark - 1, "query", "query_string"))
    if runs:
        ctx.taint_runs(result, runs)


def _patch_request(module: ModuleType) -> None:
    request_class = module.HttpRequest
    _wrap_after(request_class, "_load_post_and_files", _loaded_post, "django.POST")
    _wrap_after(request_class, "_get_full_path", _full_path, "django.get_full_path")
    body = request_class.__dict__.get("body")
    if isinstance(body, property) and not _hooked(body.fget, "django"):
        fget = body.fget

        @_sinks.hook("django.body")
        def taint_body(value: Any) -> None:
            ctx = _ctx()
            if isinstance(value, bytes) and not ctx.is_tainted(value):
                ctx.taint(value, "body", "body")

        @functools.wraps(fget)
        def get_body(self: Any) -> Any:
            value = fget(self)
            if _context.current() is not None:
                taint_body(value)
            return value

        _layer(get_body, fget, "django")
        request_class.body = property(get_body, body.fset, body.fdel, body.__doc__)


# -- responses -------------------------------------------------------------------------


def _is_html(response: Any) -> bool:
    content_type = response.get("Content-Type", "") if hasattr(response, "get") else ""
    return isinstance(content_type, str) and content_type.lower().lstrip().startswith("text/html")


# Set while Django renders a template response after the view returned: no application
# frame is on the stack then, and the view is where the page comes from.
_deferred: contextvars.ContextVar[bool] = contextvars.ContextVar("moat_iast_django_deferred", default=False)


def _html_content(response: Any, value: Any) -> None:
    """Tainted text written into an HTML response body: XSS unless escaped."""
    if not _is_html(response):
        return
    location = None
    if _deferred.get():
        state = _context.request()
        location = _view_location(state.view, state.method) if state is not None else None
        if location is None:
            return
    if isinstance(value, (str, bytes)):
        _check("XSS", value, location)
    elif isinstance(value, (list, tuple)):
        for chunk in value[:1000]:
            if isinstance(chunk, (str, bytes)):
                _check("XSS", chunk, location)


def _patch_template_response(module: ModuleType) -> None:
    response_class = module.SimpleTemplateResponse
    original = response_class.__dict__.get("render")
    if original is None or _hooked(original, "django"):
        return

    @functools.wraps(original)
    def render(self: Any) -> Any:
        if _context.current() is None or getattr(self, "is_rendered", True):
            return original(self)
        try:
            deferred = _caller(("django/template/response.py",)) is None
        except Exception:
            deferred = False
        token = _deferred.set(deferred)
        try:
            return original(self)
        finally:
            _deferred.reset(token)

    _layer(render, original, "django")
    response_class.render = render


def _patch_response(module: ModuleType) -> None:
    response_class = module.HttpResponse
    content = response_class.__dict__.get("content")
    if isinstance(content, property) and content.fset is not None and not _hooked(content.fset, "django"):
        fset = content.fset
        guarded = _sinks.hook("django.HttpResponse.content")(_html_content)

        @functools.wraps(fset)
        def set_content(self: Any, value: Any) -> None:
            if _context.current() is not None:
                guarded(self, value)
            fset(self, value)

        _layer(set_content, fset, "django")
        response_class.content = property(content.fget, set_content, content.fdel, content.__doc__)
    _sinks.wrap(response_class, "write", lambda self, value, *a, **k: _html_content(self, value), "django.HttpResponse.write")

    def redirect(self: Any, redirect_to: Any, *args: Any, **kwargs: Any) -> None:
        _check("UNVALIDATED_REDIRECT", redirect_to)

    _sinks.wrap(module.HttpResponseRedirectBase, "__init__", redirect, "django.redirect")

    def header(self: Any, key: Any, value: Any) -> None:
        # Django refuses newlines itself (BadHeaderError) right after this check.
        _check("HEADER_INJECTION", key)
        _check("HEADER_INJECTION", value)

    headers_class = getattr(module, "ResponseHeaders", None)
    if headers_class is not None:
        _sinks.wrap(headers_class, "__setitem__", header, "django.ResponseHeaders")
    else:  # Django before 3.2 keeps headers on the response itself
        _sinks.wrap(module.HttpResponseBase, "__setitem__", header, "django.HttpResponse.__setitem__")
    _sinks.wrap(module.HttpResponseBase, "set_cookie", _set_cookie, "django.set_cookie")


def _set_cookie(
    self: Any,
    key: Any,
    value: Any = "",
    max_age: Any = None,
    expires: Any = None,
    path: Any = "/",
    domain: Any = None,
    secure: Any = False,
    httponly: Any = False,
    samesite: Any = None,
) -> None:
    """A cookie set by application code without `secure`, `httponly` or a `SameSite`
    of Lax or Strict. Deleting a cookie (empty value) is not reported, nor are cookies
    Django sets itself (session, CSRF: their settings decide)."""
    if value in ("", b"", None) or max_age == 0:
        return
    location = _caller(("django/http/response.py",))
    if location is None:
        return
    _sinks.cookie_set(str(key), value, secure, httponly, samesite, location)


_TRACEBACK = b"Traceback (most recent call last):"


def _secure(request: Any) -> bool:
    try:
        return bool(request.is_secure())
    except Exception:  # a misconfigured SECURE_PROXY_SSL_HEADER raises
        return False


def _final_response(response: Any, handler: Any, request: Any, *args: Any, **kwargs: Any) -> None:
    """Checks of the response as the client gets it, after every middleware: missing
    security headers on HTML, a Python traceback in the body. Located at the view."""
    state = _context.request()
    if state is None or response is None:
        return
    location = _view_location(state.view, getattr(request, "method", None))
    if location is None:
        return
    body = None if getattr(response, "streaming", True) else getattr(response, "content", None)
    if isinstance(body, bytes):
        at = body.find(_TRACEBACK, 0, 1_000_000)
        if at >= 0:
            evidence = body[at : at + 200].decode("utf-8", "replace").splitlines()
            _sinks.report_plain("STACKTRACE_LEAK", " ".join(line.strip() for line in evidence[:2]), location=location)
    status = getattr(response, "status_code", 200)
    if not _is_html(response) or not isinstance(status, int) or status < 200 or 300 <= status < 400 or status == 204:
        return
    # Browsers ignore HSTS received over plain HTTP, and Django's SecurityMiddleware sends
    # it only on secure requests: a plain HTTP response without it is not a finding.
    _sinks.security_headers(response.get, location, hsts_expected=_secure(request))


# -- HTML escaping and templates -------------------------------------------------------


def _patch_safestring(module: ModuleType) -> None:
    original = module.mark_safe
    if _hooked(original, "django"):
        return

    @_sinks.hook("django.mark_safe")
    def marked(result: Any, value: Any) -> None:
        ctx = _ctx()
        if not ctx.is_tainted(value):
            return
        if _caller(("django/utils/safestring.py",)) is not None:
            # The application vouches for request data as HTML: the flaw is here. What
            # follows carries the taint, no longer reported as XSS further on.
            _check("XSS", value)
            ctx.mark_secure(result, value, ["XSS"])
        else:  # Django's own use (the `safe` filter): the text stays as tainted as it was
            ctx.propagate_same(result, value)

    @functools.wraps(original)
    def mark_safe(s: Any) -> Any:
        result = original(s)
        if result is not s and isinstance(s, str) and _context.current() is not None:
            marked(result, s)
        return result

    _layer(mark_safe, original, "django")
    module.mark_safe = mark_safe


def _patch_html(module: ModuleType) -> None:
    original_escape = module.escape
    if _hooked(original_escape, "django"):
        return

    @functools.wraps(original_escape)
    def escape(text: Any) -> Any:
        result = original_escape(text)
        if _context.current() is not None and result is not text:
            _sinks.mark_secure(result, text, ("XSS",))
        return result

    _layer(escape, original_escape, "django")
    module.escape = escape

    original_format = module.format_html

    @_sinks.hook("django.format_html")
    def formatted(result: Any, format_string: Any, args: tuple, kwargs: dict) -> None:
        ctx = _ctx()
        values = [*args, *kwargs.values()]
        if not ctx.is_tainted(format_string) and not any(ctx.is_tainted(v) for v in values):
            return
        # The arguments went in escaped (safe for XSS), the format string as it was.
        inputs = [format_string, *(module.conditional_escape(v) for v in values if ctx.is_tainted(v))]
        ctx.propagate_found(result, inputs)

    @functools.wraps(original_format)
    def format_html(format_string: Any, *args: Any, **kwargs: Any) -> Any:
        result = original_format(format_string, *args, **kwargs)
        if _context.current() is not None:
            formatted(result, format_string, args, kwargs)
        return result

    _layer(format_html, original_format, "django")
    module.format_html = format_html


def _patch_templates(module: ModuleType) -> None:
    original_value = module.render_value_in_context
    if _hooked(original_value, "django"):
        return

    @_sinks.hook("django.render_value")
    def rendered_value(result: Any) -> None:
        # Autoescaped values come out of `escape` safe for XSS; `|safe` and
        # `{% autoescape off %}` let the raw tainted text through.
        if _ctx().is_tainted(result):
            pieces = _extra(_PIECES, list)
            if len(pieces) < _MAX_PIECES:
                pieces.append(result)

    @functools.wraps(original_value)
    def render_value_in_context(value: Any, context: Any) -> Any:
        result = original_value(value, context)
        if _context.current() is not None:
            rendered_value(result)
        return result

    _layer(render_value_in_context, original_value, "django")
    module.render_value_in_context = render_value_in_context

    def rendered(result: Any, template: Any, *args: Any, **kwargs: Any) -> None:
        request = _context.request()
        pieces = request.extra.get(_PIECES) if request is not None else None
        if pieces and isinstance(result, str):
            _ctx().propagate_found(result, pieces)

    _wrap_after(module.Template, "render", rendered, "django.Template.render")


def _patch_http_utils(module: ModuleType) -> None:
    """`url_has_allowed_host_and_scheme(url, ...)` returning True validates `url` as a
    redirect target."""

    def validated(result: Any, url: Any, *args: Any, **kwargs: Any) -> None:
        if result is True and isinstance(url, str):
            _sinks.mark_secure(url, url, ("UNVALIDATED_REDIRECT",))

    for name in ("url_has_allowed_host_and_scheme", "is_safe_url"):
        if getattr(module, name, None) is not None:
            _wrap_after(module, name, validated, f"django.{name}")


# -- sessions and SQL ------------------------------------------------------------------


def _patch_sessions(module: ModuleType) -> None:
    session = module.SessionBase

    def store(self: Any, key: Any, value: Any = None) -> None:
        _randomness.check(value, "a session value")
        _check_nested("TRUST_BOUNDARY_VIOLATION", key)
        _check_nested("TRUST_BOUNDARY_VIOLATION", value)

    _sinks.wrap(session, "__setitem__", store, "django.session.__setitem__")
    _sinks.wrap(session, "setdefault", store, "django.session.setdefault")
    _sinks.wrap(session, "update", lambda self, data: _check_nested("TRUST_BOUNDARY_VIOLATION", data), "django.session.update")


def _sql(sql: Any) -> None:
    request = _context.request()
    checked = request.extra.get(_CHECKED) if request is not None else None
    if not checked or id(sql) not in checked:
        _check("SQL_INJECTION", sql)


def _sql_reported_here(sql: Any) -> None:
    """A statement checked where the application handed it to the ORM, which runs it
    later (a lazy `raw()` query set): not checked again at execution."""
    _check("SQL_INJECTION", sql)
    if isinstance(sql, str):
        _extra(_CHECKED, set).add(id(sql))


def _patch_cursor(module: ModuleType) -> None:
    # Every backend's cursor (sqlite's own cursor class included) is behind this wrapper:
    # `connection.cursor()`, `raw()`, and the statements the ORM compiles.
    wrapper = module.CursorWrapper
    _sinks.wrap(wrapper, "execute", lambda self, sql, *a, **k: _sql(sql), "django.cursor.execute")
    _sinks.wrap(wrapper, "executemany", lambda self, sql, *a, **k: _sql(sql), "django.cursor.executemany")


def _patch_expressions(module: ModuleType) -> None:
    raw_sql = getattr(module, "RawSQL", None)
    if raw_sql is not None:
        # The fragment is pasted into a statement Django compiles: checked as written.
        _sinks.wrap(raw_sql, "__init__", lambda self, sql, *a, **k: _check("SQL_INJECTION", sql), "django.RawSQL")


def _extra_fragments(self: Any, select: Any = None, where: Any = None, params: Any = None, tables: Any = None,
                     order_by: Any = None, select_params: Any = None) -> None:
    for part in (select.values() if isinstance(select, dict) else select or ()):
        _check("SQL_INJECTION", part)
    for group in (where, tables, order_by):
        for part in group or ():
            _check("SQL_INJECTION", part)


def _patch_queryset(module: ModuleType) -> None:
    queryset = module.QuerySet
    _sinks.wrap(queryset, "raw", lambda self, raw_query, *a, **k: _sql_reported_here(raw_query), "django.QuerySet.raw")
    _sinks.wrap(queryset, "extra", _extra_fragments, "django.QuerySet.extra")


def install(django: ModuleType) -> None:
    """Hooks each part of Django when the application imports it."""
    for name, patch in (
        ("django.core.handlers.base", _patch_base_handler),
        ("django.core.handlers.wsgi", _patch_wsgi),
        ("django.core.handlers.asgi", _patch_asgi),
        ("django.http.request", _patch_request),
        ("django.http.response", _patch_response),
        ("django.template.response", _patch_template_response),
        ("django.urls.resolvers", _patch_resolvers),
        ("django.utils.safestring", _patch_safestring),
        ("django.utils.html", _patch_html),
        ("django.utils.http", _patch_http_utils),
        ("django.template.base", _patch_templates),
        ("django.contrib.sessions.backends.base", _patch_sessions),
        ("django.db.backends.utils", _patch_cursor),
        ("django.db.models.expressions", _patch_expressions),
        ("django.db.models.query", _patch_queryset),
    ):
        _patches.when_imported(name, patch)
