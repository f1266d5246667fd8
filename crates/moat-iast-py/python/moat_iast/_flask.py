"""Flask and Werkzeug: the request cycle opens a taint context, request data is tainted
where Werkzeug parses it, and the response Flask sends is checked.

Sources are tainted once, where Werkzeug builds them (the parsed containers are cached
on the request), so every accessor sees the same tainted strings: `.get`, `getlist`,
`to_dict`, iteration, `request.args["x"]`. Response checks run in `finalize_request`,
once the after-request handlers have had their say.

Locations: a sink the view calls is reported at the view's line that called it; data
the view returned (a `str` body, headers in a returned tuple) at the view's `return`
line; checks of the response as a whole (missing headers, a stack trace) at the view's
`def` line.
"""

from __future__ import annotations

import ast
import functools
import os
import re
import sys
from types import CodeType, ModuleType
from typing import Any, Callable, Optional
from urllib.parse import quote

from moat_iast import _config, _context, _randomness, _report, _sinks

_TEXT = (str, bytes)
Location = tuple  # (path relative to its application root, 1-based line)

# ---------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------

# Environ entries the client chooses besides headers; the others (SERVER_NAME,
# REMOTE_ADDR, wsgi.*...) are set by the server.
_CLIENT_ENVIRON = frozenset({"PATH_INFO", "QUERY_STRING", "REQUEST_URI", "RAW_URI"})


@_sinks.hook("flask.environ")
def _taint_environ(ctx: Any, environ: dict) -> None:
    # `request.headers` reads the environ's own strings, so this taints them too.
    if type(environ) is dict:
        ctx.taint_environ(environ, _CLIENT_ENVIRON)


@_sinks.hook("flask.multidict")
def _taint_multidict(ctx: Any, data: Any, kind: str) -> None:
    """Keys and values of a parsed `MultiDict` (names are chosen by the client too)."""
    for key, values in data.lists():
        if type(key) is str:
            ctx.taint(key, kind, key)
        for value in values:
            if type(value) is str:
                ctx.taint(value, kind, key)


@_sinks.hook("flask.files")
def _taint_files(ctx: Any, files: Any) -> None:
    for field, storages in files.lists():
        for storage in storages:
            filename = getattr(storage, "filename", None)
            if type(filename) is str:
                ctx.taint(filename, "file", field)


@_sinks.hook("flask.json")
def _taint_json(ctx: Any, value: Any) -> None:
    """Every string key and value of a decoded JSON body, named by its key path
    (`user.name`, `tags.0`; `$` for a body that is a bare string)."""
    budget = _config.get().max_tainted
    stack = [(value, "")]
    while stack and budget > 0:
        item, path = stack.pop()
        budget -= 1
        kind = type(item)
        if kind is str:
            ctx.taint(item, "json", path or "$")
        elif kind is dict:
            for key, child in item.items():
                child_path = f"{path}.{key}" if path else str(key)
                if type(key) is str:
                    ctx.taint(key, "json", child_path)
                stack.append((child, child_path))
        elif kind is list:
            for index, child in enumerate(item):
                stack.append((child, f"{path}.{index}" if path else str(index)))


def _taint_derived(ctx: Any, request: Any, value: Any) -> None:
    """`full_path`, `url`, `base_url`: the characters of the route's variables (as
    tainted in `request.path`) and the query string; the rest (scheme, host, the
    route's literal path) is not the attacker's."""
    if type(value) is not str:
        return
    path = request.path
    path_runs = ctx.ranges(path)
    scheme = value.find("://")
    start = value.find("/", scheme + 3) if scheme >= 0 else 0
    runs = []
    at = value.find(path, max(start, 0))
    if at >= 0:
        runs = [(at + s, n, kind, name) for s, n, kind, name in path_runs]
        end = at + len(path)
    else:
        # The path was quoted on the way into the URL: find each variable's text.
        end = max(start, 0)
        for s, n, kind, name in path_runs:
            text = path[s : s + n]
            for candidate in (text, quote(text, safe="!$&'()*+,/:;=@%")):
                found = value.find(candidate, end)
                if found >= 0:
                    runs.append((found, len(candidate), kind, name))
                    end = found + len(candidate)
                    break
    question = value.find("?", end)
    if 0 <= question < len(value) - 1:
        runs.append((question + 1, len(value) - question - 1, "query", "query_string"))
    if runs:
        ctx.taint_runs(value, runs)


def _cached(cls: type, name: str, taint: Callable[[Any, Any, Any], None]) -> None:
    """Taints what a Werkzeug `cached_property` computes, once: the request caches it."""
    original = cls.__dict__.get(name)
    # werkzeug's cached_property is a property (`fget`); functools' has `func`.
    func = getattr(original, "fget", None) or getattr(original, "func", None)
    if func is None:
        return
    guarded = _sinks.hook(f"flask.{name}")(taint)

    def compute(self: Any) -> Any:
        value = func(self)
        ctx = _context.current()
        if ctx is not None:
            guarded(ctx, self, value)
        return value

    compute.__name__ = name
    compute.__doc__ = getattr(func, "__doc__", None)
    # werkzeug's cached_property stores the value in the instance dict under the name.
    type.__setattr__(cls, name, type(original)(compute, name))


def _after(owner: type, attr: str, after: Callable[..., None]) -> None:
    """Replaces the method `owner.attr` so `after(result, *args, **kwargs)` runs, as a
    fail-open hook inside an analysed request, once the original returned."""
    original = owner.__dict__.get(attr)
    if original is None or getattr(original, "__moat_iast_original__", None) is not None:
        return
    guarded = _sinks.hook(f"{owner.__name__}.{attr}")(after)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if _context.current() is not None:
            guarded(result, *args, **kwargs)
        return result

    wrapper.__moat_iast_original__ = original  # type: ignore[attr-defined]
    type.__setattr__(owner, attr, wrapper)


def _got_data(result: Any, *args: Any, **kwargs: Any) -> None:
    ctx = _context.current()
    if type(result) in _TEXT and not ctx.is_tainted(result):
        ctx.taint(result, "body", "body")


def _got_json(result: Any, *args: Any, **kwargs: Any) -> None:
    # `request.json` returns the cached object on every access: walk it once.
    if type(result) in (dict, list, str):
        request = _context.request()
        seen = request.extra.setdefault("flask_json", []) if request is not None else []
        if not any(result is s for s in seen):
            seen.append(result)
            _taint_json(_context.current(), result)


def _install_sources() -> None:
    from werkzeug.datastructures import FileStorage
    from werkzeug.sansio.request import Request as SansioRequest
    from werkzeug.wrappers.request import Request as WsgiRequest

    _cached(SansioRequest, "args", lambda ctx, request, args: _taint_multidict(ctx, args, "parameter"))
    _cached(SansioRequest, "cookies", lambda ctx, request, cookies: _taint_multidict(ctx, cookies, "cookie"))
    for name in ("full_path", "url", "base_url"):
        _cached(SansioRequest, name, _taint_derived)
    _after(WsgiRequest, "get_data", _got_data)
    _after(WsgiRequest, "get_json", _got_json)

    # `form` and `files` are parsed together, whichever is read first.
    load = WsgiRequest.__dict__.get("_load_form_data")
    if load is not None and getattr(load, "__moat_iast_original__", None) is None:
        guarded = _sinks.hook("flask.form")(_parsed_form)

        @functools.wraps(load)
        def _load_form_data(self: Any) -> None:
            fresh = "form" not in self.__dict__
            load(self)
            if fresh and _context.current() is not None:
                guarded(self)

        _load_form_data.__moat_iast_original__ = load  # type: ignore[attr-defined]
        WsgiRequest._load_form_data = _load_form_data  # type: ignore[method-assign]

    # An upload's content: `FileStorage` hands `read` to its stream through
    # `__getattr__`; a method of its own returns the same bytes, tainted.
    if "read" not in FileStorage.__dict__:

        def read(self: Any, *args: Any, **kwargs: Any) -> Any:
            data = self.stream.read(*args, **kwargs)
            ctx = _context.current()
            if ctx is not None and type(data) in _TEXT:
                _taint_upload(ctx, data, self.name or "file")
            return data

        FileStorage.read = read  # type: ignore[attr-defined]


@_sinks.hook("flask.upload")
def _taint_upload(ctx: Any, data: Any, field: str) -> None:
    ctx.taint(data, "file", field)


def _parsed_form(request: Any) -> None:
    ctx = _context.current()
    form = request.__dict__.get("form")
    if form is not None:
        _taint_multidict(ctx, form, "parameter")
    files = request.__dict__.get("files")
    if files is not None:
        _taint_files(ctx, files)


# ---------------------------------------------------------------------------------------
# Routing: view arguments, the path, and the view being served
# ---------------------------------------------------------------------------------------

_VARIABLE = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<arguments>.*?)\))?:)?(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>"
)
# id(rule) -> (rule, compiled pattern or None, variable names)
_patterns: dict = {}


def _route_pattern(rule: Any) -> tuple:
    cached = _patterns.get(id(rule))
    if cached is not None and cached[0] is rule:
        return cached[1], cached[2]
    text = rule.rule
    converters = getattr(rule, "_converters", {}) or {}
    parts, names, at = [], [], 0
    for match in _VARIABLE.finditer(text):
        parts.append(re.escape(text[at : match.start()]))
        name = match.group("name")
        regex = getattr(converters.get(name), "regex", None) or "[^/]+"
        parts.append(f"(?P<v{len(names)}>{regex})")
        names.append(name)
        at = match.end()
    parts.append(re.escape(text[at:]))
    try:
        pattern = re.compile("".join(parts)) if names else None
    except re.error:
        pattern = None
    _patterns[id(rule)] = (rule, pattern, names)
    return pattern, names


def _path_runs(rule: Any, path: str) -> list:
    """The characters of `path` bound to the route's variables, as taint runs."""
    pattern, names = _route_pattern(rule)
    match = pattern.fullmatch(path) if pattern is not None else None
    if match is None:
        return []
    runs = []
    for index, name in enumerate(names):
        start, end = match.span(f"v{index}")
        if end > start:
            runs.append((start, end - start, "path_parameter", name))
    return runs


# id(view) -> (view, the application function that serves it)
_served_cache: dict = {}


def _served(view: Any, method: Optional[str]) -> Any:
    """The application's own function behind a registered view: through decorators
    (`__wrapped__`) and class-based views (the method's handler)."""
    key = (id(view), method)
    cached = _served_cache.get(key)
    if cached is not None and cached[0] is view:
        return cached[1]
    func = view
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        func = getattr(view_class, (method or "get").lower(), None) or getattr(view_class, "dispatch_request", view)
    seen = 0
    while hasattr(func, "__wrapped__") and seen < 32:
        func = func.__wrapped__
        seen += 1
    _served_cache[key] = (view, func)
    return func


@_sinks.hook("flask.routing")
def _routed(request_ctx: Any) -> None:
    ctx = _context.current()
    info = _context.request()
    request = getattr(request_ctx, "request", None)
    if ctx is None or info is None or request is None:
        return
    if type(request.query_string) is bytes:
        ctx.taint(request.query_string, "query", "query_string")
    rule = getattr(request, "url_rule", None)
    if rule is None:
        return
    for name, value in (request.view_args or {}).items():
        if type(value) is str:
            ctx.taint(value, "path_parameter", name)
    runs = _path_runs(rule, request.path)
    if runs:
        ctx.taint_runs(request.path, runs)
    view = request_ctx.app.view_functions.get(rule.endpoint)
    if view is not None:
        info.view = _served(view, request.method)
        code = getattr(info.view, "__code__", None)
        if code is not None:
            _watch_returns(code)


# ---------------------------------------------------------------------------------------
# Where to report
# ---------------------------------------------------------------------------------------

# Code objects of Flask's `finalize_request`: below it, a sink handles what the view
# returned, so the view's `return` line is the place.
_FINALIZE: set = set()
# co_filename -> (is the agent's, path relative to its application root or None)
_files: dict = {}


def _file(filename: str) -> tuple:
    try:
        return _files[filename]
    except KeyError:
        pass
    roots = _config.get().app_roots
    path = os.path.realpath(filename)
    agent = path.startswith(_report._AGENT_DIR)
    relative = None
    # `<template>`, `<string>`: code compiled from text, which no file holds.
    if not filename.startswith("<") and not agent and any(path.startswith(root + os.sep) for root in roots):
        relative = _report.relative(path, roots)
    _files[filename] = (agent, relative)
    return agent, relative


def _app_file(filename: str) -> Optional[str]:
    """`filename` relative to its application root, or None when it is not the
    application's (the agent, Flask, the standard library...)."""
    return _file(filename)[1]


def _where() -> Optional[Location]:
    """The application line responsible for the sink being called: the innermost
    application frame, a template's own line for a Jinja template of the application,
    or the view's `return` line when Flask is turning what the view returned into the
    response."""
    frame: Any = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code in _FINALIZE:
            info = _context.request()
            return _return_location(info) if info is not None else None
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            filename = getattr(template, "filename", None)
            relative = _app_file(filename) if filename else None
            if relative is not None:
                return relative, template.get_corresponding_lineno(frame.f_lineno)
        else:
            relative = _app_file(code.co_filename)
            if relative is not None:
                return relative, frame.f_lineno
        frame = frame.f_back
    return None


def _caller() -> Optional[Location]:
    """The frame that called the hooked function, when it is the application's."""
    frame: Any = sys._getframe(1)
    while frame is not None and _file(frame.f_code.co_filename)[0]:
        frame = frame.f_back
    if frame is None:
        return None
    relative = _app_file(frame.f_code.co_filename)
    return (relative, frame.f_lineno) if relative is not None else None


# code -> (path, def line, return lines) or None
_facts: dict = {}
# filename -> {(function name, first line with decorators): (def line, return lines)}
_functions: dict = {}


def _functions_of(filename: str) -> dict:
    """The functions of an application file, keyed as their code objects name them."""
    found = _functions.get(filename)
    if found is not None:
        return found
    found = {}
    try:
        with open(filename, encoding="utf-8") as source:
            tree = ast.parse(source.read(), filename)
    except (OSError, SyntaxError, ValueError):
        tree = None
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([d.lineno for d in node.decorator_list] + [node.lineno])
            found[(node.name, first)] = (node.lineno, _return_lines(node))
    _functions[filename] = found
    return found


def _return_lines(function: ast.AST) -> list:
    """Lines of the function's own `return` statements (not those of nested functions)."""
    lines = set()
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return):
            lines.add(node.lineno)
        stack.extend(ast.iter_child_nodes(node))
    return sorted(lines)


def _view_facts(view: Any) -> Optional[tuple]:
    code = getattr(view, "__code__", None)
    if code is None:
        return None
    try:
        return _facts[code]
    except KeyError:
        pass
    facts = None
    relative = _app_file(code.co_filename)
    if relative is not None:
        key = (code.co_name, code.co_firstlineno)
        def_line, returns = _functions_of(code.co_filename).get(key, (code.co_firstlineno, []))
        facts = (relative, def_line, returns)
    _facts[code] = facts
    return facts


def _view_location(info: _context.Request) -> Optional[Location]:
    """The `def` line of the view serving the request."""
    facts = _view_facts(info.view)
    return (facts[0], facts[1]) if facts is not None else None


def _return_location(info: _context.Request) -> Optional[Location]:
    """The view's `return` line that produced the response: the one that ran when the
    interpreter can say (Python 3.12+), else its only `return`, else its `def` line."""
    facts = _view_facts(info.view)
    if facts is None:
        return None
    path, def_line, returns = facts
    returned = info.extra.get("flask_returned")
    if returned is not None and returned[0] is getattr(info.view, "__code__", None):
        line = _line_at(*returned)
        if line is not None:
            return path, line
    return path, returns[0] if len(returns) == 1 else def_line


def _line_at(code: CodeType, offset: int) -> Optional[int]:
    for start, end, line in code.co_lines():  # type: ignore[attr-defined]
        if start <= offset < end:
            return line
    return None


# Python 3.12+: `sys.monitoring` tells which `return` of a view ran, with an event on
# the views' own code objects only (no profiler, nothing for other functions).
_tool: Optional[int] = None
_watched: set = set()


def _returned(code: CodeType, offset: int, retval: Any) -> Any:
    info = _context.request()
    if info is not None:
        info.extra["flask_returned"] = (code, offset)


def _watch_returns(code: CodeType) -> None:
    global _tool
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is None or code in _watched or _tool == -1:
        return
    _watched.add(code)
    try:
        if _tool is None:
            _tool = -1
            # Tool ids 0, 1, 2 and 5 are the debugger's, coverage's, profilers' and
            # optimizers'; take a free one of the others.
            for tool in (4, 3):
                if monitoring.get_tool(tool) is None:
                    monitoring.use_tool_id(tool, "moat-iast")
                    monitoring.register_callback(tool, monitoring.events.PY_RETURN, _returned)
                    _tool = tool
                    break
        if _tool >= 0:
            monitoring.set_local_events(_tool, code, monitoring.events.PY_RETURN)
    except Exception:  # the view's `def` line or only `return` is used instead
        _tool = -1


# ---------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------


def _report_at(kind: str, value: Any, location: Optional[Location]) -> None:
    """`_sinks.check` with a location chosen here rather than by the stack walk."""
    if location is not None:
        _sinks.check(kind, value, location=location)


def _flow(kind: str, value: Any) -> bool:
    """Reports `kind` when tainted text in `value` makes the sink exploitable."""
    ctx = _context.current()
    if ctx is None or type(value) not in _TEXT or not ctx.vulnerable(kind, value):
        return False
    _report_at(kind, value, _where())
    return True


# ---------------------------------------------------------------------------------------
# Sinks the view calls
# ---------------------------------------------------------------------------------------


def _body_set(response: Any, value: Any, *args: Any, **kwargs: Any) -> None:
    """`Response.set_data`: remembers a tainted HTML-breaking body and where it was
    set; whether it is XSS depends on the final content type (see `_response_done`)."""
    ctx = _context.current()
    request = _context.request()
    if request is None:
        return
    bodies = request.extra.get("flask_bodies")
    if type(value) not in _TEXT or not ctx.is_tainted(value) or not ctx.vulnerable("XSS", value):
        if bodies:
            bodies.pop(id(response), None)
        return
    if bodies is None:
        bodies = request.extra["flask_bodies"] = {}
    bodies[id(response)] = (response, value, _where())


def _markup(cls: Any, base: Any = "", *args: Any, **kwargs: Any) -> None:
    """`Markup(text)` declares text safe HTML: tainted markup in it is XSS (also how
    Jinja's `|safe` filter works)."""
    _flow("XSS", base)


def _template_source(env: Any, source: Any, *args: Any, **kwargs: Any) -> None:
    """`render_template_string` / `Environment.from_string`: a tainted template is
    server-side template injection, which runs code (`{{ cycler.__init__.__globals__
    .os.popen(...) }}`), so CODE_INJECTION rather than XSS."""
    _flow("CODE_INJECTION", source)


def _header_set(headers: Any, key: Any, value: Any = None, *args: Any, **kwargs: Any) -> None:
    """`Headers.add` / `Headers.set` (which every other setter goes through): CR or LF
    from the request in a response header, checked before Werkzeug rejects it; and a
    `Location` chosen by the request (`redirect` sets it)."""
    for part in (key, value, *kwargs.values()):
        if _sinks.tainted(part) and _flow("HEADER_INJECTION", part):
            break
    if type(key) is str and _sinks.tainted(value) and key.lower() == "location":
        _flow("UNVALIDATED_REDIRECT", value)



def _session_stored(session: Any, *args: Any, **kwargs: Any) -> None:
    """`session[key] = value`, `setdefault`, `update`: request data in the session."""
    stack = [*args, *kwargs.keys(), *kwargs.values()]
    budget = 1000
    while stack and budget > 0:
        item = stack.pop()
        budget -= 1
        if type(item) in _TEXT:
            _randomness.check(item, "a session value")
            if _flow("TRUST_BOUNDARY_VIOLATION", item):
                return
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)


def _cookie_set(
    response: Any,
    key: Any,
    value: Any = "",
    max_age: Any = None,
    expires: Any = None,
    path: Any = "/",
    domain: Any = None,
    secure: Any = False,
    httponly: Any = False,
    samesite: Any = None,
    *args: Any,
    **kwargs: Any,
) -> None:
    """`Response.set_cookie` called by the application without `secure`, `httponly`
    or `samesite`. Deleting a cookie (empty value, expired) is not reported, nor are
    the cookies Flask or a library sets (the session cookie's flags are settings)."""
    if not value or max_age == 0 or expires == 0:
        return
    location = _caller()
    if location is None:
        return
    _sinks.cookie_set(str(key), value, secure, httponly, samesite, location)


# ---------------------------------------------------------------------------------------
# The response as sent
# ---------------------------------------------------------------------------------------

_HTML = frozenset({"text/html", "application/xhtml+xml"})
_TRACEBACK = "Traceback (most recent call last):"
_TRACEBACK_BYTES = _TRACEBACK.encode()


def _traceback_in(response: Any) -> Optional[str]:
    """The exception line of a Python traceback in a buffered text body."""
    if getattr(response, "direct_passthrough", False) or not getattr(response, "is_sequence", False):
        return None
    mimetype = response.mimetype or ""
    if not (mimetype.startswith("text/") or mimetype.endswith(("json", "xml"))):
        return None
    for chunk in response.response:
        if type(chunk) is bytes:
            if _TRACEBACK_BYTES not in chunk:
                continue
            text = chunk.decode("utf-8", "replace")
        elif type(chunk) is str:
            text = chunk
        else:
            continue
        at = text.find(_TRACEBACK)
        if at < 0:
            continue
        rest = text[at + len(_TRACEBACK) :]
        if not any(marker in rest for marker in ('File "', "File &#34;", "File &quot;", 'File \\"')):
            continue
        for line in rest.replace("\\n", "\n").splitlines()[1:]:
            if line.strip() and not line[:1].isspace():
                return line.strip()[:200]
        return _TRACEBACK
    return None


def _response_done(response: Any) -> None:
    """The response after the after-request handlers: XSS in its body, missing
    security headers, a stack trace."""
    info = _context.request()
    if info is None:
        return
    bodies = info.extra.pop("flask_bodies", None)
    html = (getattr(response, "mimetype", None) or "") in _HTML
    if bodies and html:
        pending = bodies.get(id(response))
        if pending is not None and pending[0] is response:
            _report_at("XSS", pending[1], pending[2])
    location = _view_location(info) if info.view is not None else None
    if location is None:
        return
    status = getattr(response, "status_code", 200)
    if html and not (100 <= status < 200 or 300 <= status < 400 or status == 204):
        _sinks.security_headers(response.headers.get, location)
    leaked = _traceback_in(response)
    if leaked is not None:
        _sinks.report_plain("STACKTRACE_LEAK", leaked, location=location)


# ---------------------------------------------------------------------------------------
# Installation
# ---------------------------------------------------------------------------------------


def _install_request_cycle(flask: ModuleType) -> None:
    original_wsgi_app = flask.Flask.wsgi_app

    @functools.wraps(original_wsgi_app)
    def wsgi_app(self: Any, environ: Any, start_response: Any) -> Any:
        if _context.request() is not None:
            # An application called from inside another's request shares its context.
            return original_wsgi_app(self, environ, start_response)
        ctx = _context.start(environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
        if ctx is not None:
            _taint_environ(ctx, environ)
        try:
            return original_wsgi_app(self, environ, start_response)
        finally:
            _context.end()

    flask.Flask.wsgi_app = wsgi_app  # type: ignore[method-assign]

    # Routing: `RequestContext.match_request` (Flask 2 and 3.0-3.1), or the merged
    # context of later versions.
    import flask.ctx as flask_ctx

    for owner in (getattr(flask_ctx, "RequestContext", None), getattr(flask_ctx, "AppContext", None)):
        if owner is not None and "match_request" in owner.__dict__:
            _after(owner, "match_request", lambda result, request_ctx, *a, **k: _routed(request_ctx))
            break

    finalize = flask.Flask.__dict__.get("finalize_request")
    if finalize is not None:
        _FINALIZE.add(finalize.__code__)
        _after(flask.Flask, "finalize_request", lambda response, *a, **k: _response_done(response))


def _install_sinks(flask: ModuleType) -> None:
    import flask.sessions
    import jinja2
    import markupsafe
    from werkzeug.datastructures import Headers
    from werkzeug.sansio.response import Response as SansioResponse
    from werkzeug.wrappers.response import Response as WsgiResponse

    # Every other setter (`headers[k] = v`, `setdefault`, `extend`, `update`, the
    # constructor) goes through these two; request headers are read-only.
    for name in ("add", "set"):
        _sinks.wrap(Headers, name, _header_set, name=f"Headers.{name}", tainted_only=True)

    _sinks.wrap(WsgiResponse, "set_data", _body_set, name="Response.set_data")
    data = WsgiResponse.__dict__.get("data")
    if isinstance(data, property) and data.fset is not WsgiResponse.set_data:
        # `response.data = ...` calls the function the property was built with.
        hooked = property(data.fget, WsgiResponse.set_data, data.fdel, data.__doc__)
        type.__setattr__(WsgiResponse, "data", hooked)
    _sinks.wrap(SansioResponse, "set_cookie", _cookie_set, name="Response.set_cookie")
    _sinks.wrap(markupsafe.Markup, "__new__", _markup, name="Markup", tainted_only=True, native=True)
    _sinks.wrap(jinja2.Environment, "from_string", _template_source, name="Environment.from_string", tainted_only=True)
    for name in ("__setitem__", "setdefault", "update"):
        _sinks.wrap(flask.sessions.SecureCookieSession, name, _session_stored, name=f"session.{name}")


_installed: list = []


def install(flask: ModuleType) -> None:
    """Patches Werkzeug's request data, Flask's request cycle and the response sinks;
    once."""
    if _installed:
        return
    _installed.append(flask)
    _install_sources()
    _install_request_cycle(flask)
    _install_sinks(flask)
