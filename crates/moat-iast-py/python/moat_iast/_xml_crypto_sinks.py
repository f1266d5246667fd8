"""Sinks of XML (XXE, XPath), LDAP, cryptography and credentials.

Flow checks (`XXE`, `XPATH_INJECTION`, `LDAP_INJECTION`) run inside analysed requests and
ask the core about tainted text, like every other sink. The others follow no data flow
and run always, also at start-up:

- `WEAK_HASH` and `WEAK_CIPHER` are reported only when the function is called directly
  by application code. Libraries use MD5 and SHA-1 for non-security work (Werkzeug's
  ETags, itsdangerous' key derivation), and blaming the view that happens to be further
  up the stack would be a false positive.
- `HARDCODED_PASSWORD` and `HARDCODED_SECRET` are reported when a credential reaching an
  authentication call is a literal of the application's code: a constant of the calling
  frame's code object, or the value of a name (module constant, closure variable,
  argument default) that the module's source binds to that literal. A literal given as
  the fallback of an environment lookup (`os.environ.get("KEY", "dev")`) is configuration
  with a development default, and is not reported. Evidence never shows the credential.

Third-party libraries are hooked when the application imports them (`_patches`).
"""

from __future__ import annotations

import ast
import functools
import os
import re
import sys
from types import CodeType, FrameType, ModuleType
from typing import Any, Callable, Optional

from moat_iast import _config, _context, _ops, _patches, _report, _sinks

_TEXT = (str, bytes)
_REDACTED = "<redacted>"
_MISSING = object()


# Hooks layer over other areas' (`requests.Session.request` is an SSRF sink there and a
# credential sink here); each hook name is added once.
_wrap = _sinks.wrap


# ---------------------------------------------------------------------------------------
# Which code a frame runs: the agent's, the application's (its path for reports), or
# anything else (standard library, site-packages, generated code).

_AGENT = "\0agent"
_OTHER = "\0other"
_kinds: dict = {}


def _classify(filename: str) -> str:
    kind = _kinds.get(filename)
    if kind is None:
        kind = _kinds[filename] = _classify_new(filename)
    return kind


def _classify_new(filename: str) -> str:
    if not filename or filename.startswith("<"):
        return _OTHER
    path = os.path.realpath(filename)
    if path.startswith(_report._AGENT_DIR):
        return _AGENT
    # Outside the roots, or a virtual environment inside the project: not the app.
    if not _config.is_application(path):
        return _OTHER
    return _report.relative(path, _config.get().app_roots)


def _caller() -> Optional[tuple[str, int]]:
    """The application line that called the hooked function itself, or None when the
    caller is a library or the standard library."""
    frame: Optional[FrameType] = sys._getframe(1)
    while frame is not None:
        kind = _classify(frame.f_code.co_filename)
        if kind is _AGENT:
            frame = frame.f_back
            continue
        return None if kind is _OTHER else (kind, frame.f_lineno)
    return None


def _report_at_caller(kind: str, evidence: str) -> None:
    where = _caller()
    if where is not None:
        _sinks.report_plain(kind, evidence, location=where)


# ---------------------------------------------------------------------------------------
# Hardcoded credentials.

# A public entry point reaches the hooked function through a few library frames
# (`requests.get` -> `requests.request` -> `Session.request`); a server loop that the
# application started is many more, and its frame is not where a credential was written.
_LIBRARY_FRAMES = 5
# Application helpers that pass the credential down (`connect(password)`).
_APP_FRAMES = 4


class _Literals:
    """What a module's source binds to string literals: its global names (module and
    class level, which `module.NAME` and `Class.NAME` read), the names of any scope
    (what closures read), each function's argument defaults by the function's first
    line, and the literals given as the fallback of an environment lookup."""

    __slots__ = ("globals", "anywhere", "defaults", "env_defaults")

    def __init__(self) -> None:
        self.globals: dict = {}
        self.anywhere: dict = {}
        self.defaults: dict = {}
        self.env_defaults: set = set()


_literals: dict = {}


def _module_literals(filename: str) -> _Literals:
    found = _literals.get(filename)
    if found is None:
        found = _literals[filename] = _read_literals(filename)
    return found


def _text_constant(node: Optional[ast.AST]) -> Any:
    if isinstance(node, ast.Constant) and type(node.value) in _TEXT and node.value:
        return node.value
    return None


def _is_env_lookup(func: ast.AST) -> bool:
    """`os.getenv`, `getenv`, `os.environ.get` or `os.environ.setdefault`."""
    if isinstance(func, ast.Name):
        return func.id == "getenv"
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr == "getenv":
        return True
    owner = func.value
    named = owner.attr if isinstance(owner, ast.Attribute) else owner.id if isinstance(owner, ast.Name) else ""
    return func.attr in ("get", "setdefault") and named in ("environ", "environb")


def _bindings(node: ast.AST) -> list:
    """The `(name, literal)` pairs that an assignment statement binds."""
    if isinstance(node, ast.Assign):
        targets, value = node.targets, node.value
    elif isinstance(node, ast.AnnAssign):
        targets, value = [node.target], node.value
    else:
        return []
    literal = _text_constant(value)
    if literal is None:
        return []
    return [(target.id, literal) for target in targets if isinstance(target, ast.Name)]


def _read_literals(filename: str) -> _Literals:
    literals = _Literals()
    try:
        with open(filename, "rb") as source:
            tree = ast.parse(source.read(), filename)
    except (OSError, SyntaxError, ValueError):
        return literals

    def global_scope(body: list) -> None:
        for statement in body:
            for name, literal in _bindings(statement):
                literals.globals.setdefault(name, set()).add(literal)
            if isinstance(statement, ast.ClassDef):
                global_scope(statement.body)

    global_scope(tree.body)
    for node in ast.walk(tree):
        for name, literal in _bindings(node):
            literals.anywhere.setdefault(name, set()).add(literal)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = node.args
            positional = [*getattr(arguments, "posonlyargs", []), *arguments.args]
            pairs = [
                *zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults),
                *zip(arguments.kwonlyargs, arguments.kw_defaults),
            ]
            defaults = {arg.arg: _text_constant(default) for arg, default in pairs if _text_constant(default)}
            if defaults:
                # A code object's first line is its first decorator's.
                decorators = getattr(node, "decorator_list", [])
                first = min([node.lineno, *(d.lineno for d in decorators)])
                literals.defaults.setdefault(first, {}).update(defaults)
        elif isinstance(node, ast.Call) and _is_env_lookup(node.func):
            fallbacks = node.args[1:2] + [k.value for k in node.keywords if k.arg in ("default", "value")]
            for fallback in fallbacks:
                literal = _text_constant(fallback)
                if literal is not None:
                    literals.env_defaults.add(literal)
    return literals


def _same(value: Any, bound: Any) -> bool:
    """`bound` is `value`, or the str whose UTF-8 encoding `value` is (`KEY.encode()`)."""
    if bound is value:
        return True
    if type(value) is bytes and type(bound) is str:
        try:
            return bound.encode("utf-8") == value
        except UnicodeEncodeError:
            return False
    return False


def _in_constants(value: Any, constants: tuple, depth: int = 0) -> bool:
    for constant in constants:
        if _same(value, constant):
            return True
        if depth < 3 and type(constant) in (tuple, frozenset) and _in_constants(value, tuple(constant), depth + 1):
            return True
    return False


def _bound_to_literal(value: Any, names: Any, namespace: Any, literals: dict) -> bool:
    """Whether one of `names` holds `value` in `namespace`, bound there to a literal."""
    for name in names:
        candidates = literals.get(name)
        if not candidates:
            continue
        bound = namespace.get(name, _MISSING)
        if _same(value, bound) and bound in candidates:
            return True
    return False


def _written_in(value: Any, frame: FrameType) -> bool:
    """Whether `value` is a literal of the code that `frame` runs."""
    code: CodeType = frame.f_code
    if _in_constants(value, code.co_consts):
        return True
    literals = _module_literals(code.co_filename)
    if _bound_to_literal(value, code.co_names, frame.f_globals, literals.globals):
        return True
    defaults = literals.defaults.get(code.co_firstlineno, {})
    closure = [name for name in code.co_freevars if name in literals.anywhere]
    if defaults or closure:
        local = frame.f_locals
        if _bound_to_literal(value, [n for n in code.co_varnames if n in defaults], local, {n: {v} for n, v in defaults.items()}):
            return True
        if _bound_to_literal(value, closure, local, literals.anywhere):
            return True
    # `settings.DB_PASSWORD`: a constant of another application module.
    for name in code.co_names:
        module = frame.f_globals.get(name)
        if not isinstance(module, ModuleType):
            continue
        filename = getattr(module, "__file__", None)
        if not filename or _classify(filename) in (_AGENT, _OTHER):
            continue
        if _bound_to_literal(value, code.co_names, vars(module), _module_literals(filename).globals):
            return True
    return False


def _is_env_default(value: Any, filename: str) -> bool:
    defaults = _module_literals(filename).env_defaults
    return any(_same(value, default) or value == default for default in defaults)


def _hardcoded(value: Any) -> Optional[tuple[str, int]]:
    """Where the application wrote `value` as a literal, when it did."""
    if type(value) not in _TEXT or len(value) < 2:
        return None  # empty and one-character strings are shared objects, not secrets
    frame: Optional[FrameType] = sys._getframe(1)
    libraries = apps = 0
    while frame is not None:
        kind = _classify(frame.f_code.co_filename)
        if kind is _OTHER:
            if apps:
                return None  # the application's frames that passed the value are behind
            libraries += 1
            if libraries > _LIBRARY_FRAMES:
                return None
        elif kind is not _AGENT:
            apps += 1
            if _written_in(value, frame):
                if _is_env_default(value, frame.f_code.co_filename):
                    return None
                return kind, frame.f_lineno
            if apps >= _APP_FRAMES:
                return None
        frame = frame.f_back
    return None


def _credential(kind: str, call: str, arg: str, value: Any) -> None:
    """Reports `kind` when `value` is a literal of the application. The evidence names
    the call and the argument, never the value."""
    where = _hardcoded(value)
    if where is not None:
        _sinks.report_plain(kind, f"{call}({arg}={_REDACTED})", location=where)


def _arg(args: tuple, kwargs: dict, index: int, name: str) -> Any:
    if name in kwargs:
        return kwargs[name]
    return args[index] if len(args) > index else None


# Connection strings with a password: `password=...` (libpq) or `scheme://user:pw@host`.
_DSN_PASSWORD = re.compile(r"(?:^|\s)password\s*=\s*\S|^[a-z][\w+.-]*://[^/@:\s]*:[^/@\s]+@", re.IGNORECASE)


def _dsn(call: str, dsn: Any) -> None:
    if type(dsn) is str and _DSN_PASSWORD.search(dsn):
        _credential("HARDCODED_PASSWORD", call, "dsn", dsn)


def _install_credentials_pymysql(module: ModuleType) -> None:
    def connect(self: Any, *args: Any, **kwargs: Any) -> None:
        password = kwargs.get("password", kwargs.get("passwd"))
        if password is None and len(args) > 2:
            password = args[2]  # pymysql < 1.0: (host, user, password, ...)
        _credential("HARDCODED_PASSWORD", "pymysql.connect", "password", password)

    _wrap(module.Connection, "__init__", connect, "pymysql.connect", always=True)


def _install_credentials_psycopg2(module: ModuleType) -> None:
    def connect(dsn: Any = None, *args: Any, **kwargs: Any) -> None:
        _credential("HARDCODED_PASSWORD", "psycopg2.connect", "password", kwargs.get("password"))
        _dsn("psycopg2.connect", dsn)

    _wrap(module, "connect", connect, "psycopg2.connect", always=True)


def _install_credentials_sqlalchemy(module: ModuleType) -> None:
    def create_engine(url: Any = None, *args: Any, **kwargs: Any) -> None:
        _dsn("sqlalchemy.create_engine", url)

    for name in ("sqlalchemy", "sqlalchemy.engine", "sqlalchemy.engine.create"):
        owner = sys.modules.get(name)
        if owner is not None:
            _wrap(owner, "create_engine", create_engine, "sqlalchemy.create_engine", always=True)


def _install_credentials_smtplib(module: ModuleType) -> None:
    def login(self: Any, user: Any = None, password: Any = None, *args: Any, **kwargs: Any) -> None:
        _credential("HARDCODED_PASSWORD", "smtplib.SMTP.login", "password", kwargs.get("password", password))

    _wrap(module.SMTP, "login", login, "smtplib.SMTP.login", always=True)


def _install_credentials_requests(module: ModuleType) -> None:
    def request(self: Any, *args: Any, **kwargs: Any) -> None:
        auth = _arg(args, kwargs, 7, "auth")
        if type(auth) in (tuple, list) and len(auth) == 2:
            _credential("HARDCODED_PASSWORD", "requests.request", "auth", auth[1])

    def basic(self: Any, username: Any = None, password: Any = None, *args: Any, **kwargs: Any) -> None:
        _credential("HARDCODED_PASSWORD", f"requests.auth.{type(self).__name__}", "password", kwargs.get("password", password))

    import requests.auth as auth
    import requests.sessions as sessions

    _wrap(sessions.Session, "request", request, "requests.Session.request", always=True)
    for name in ("HTTPBasicAuth", "HTTPDigestAuth"):
        _wrap(getattr(auth, name), "__init__", basic, f"requests.auth.{name}", always=True)


def _install_credentials_jwt(module: ModuleType) -> None:
    """PyJWT: `jwt.encode(payload, key)` and `jwt.decode(token, key)`."""

    def encode(self: Any, payload: Any = None, key: Any = None, *args: Any, **kwargs: Any) -> None:
        _credential("HARDCODED_SECRET", "jwt.encode", "key", kwargs.get("key", key))

    def decode(self: Any, jwt: Any = None, key: Any = None, *args: Any, **kwargs: Any) -> None:
        _credential("HARDCODED_SECRET", "jwt.decode", "key", kwargs.get("key", key))

    api_jwt = sys.modules.get("jwt.api_jwt")
    cls = getattr(api_jwt, "PyJWT", None)
    if cls is None:
        return
    _wrap(cls, "encode", encode, "jwt.encode", always=True)
    _wrap(cls, "decode_complete", decode, "jwt.decode", always=True)
    # `jwt.encode` is a method of a module-level PyJWT bound at import: bind it again.
    for owner in (module, api_jwt):
        for name in ("encode", "decode", "decode_complete"):
            bound = getattr(owner, name, None)
            instance = getattr(bound, "__self__", None)
            if isinstance(instance, cls):
                setattr(owner, name, getattr(instance, name))


def _install_credentials_hmac(module: ModuleType) -> None:
    def new(key: Any = None, *args: Any, **kwargs: Any) -> None:
        _credential("HARDCODED_SECRET", "hmac.new", "key", kwargs.get("key", key))

    def digest(key: Any = None, *args: Any, **kwargs: Any) -> None:
        _credential("HARDCODED_SECRET", "hmac.digest", "key", kwargs.get("key", key))

    # `hmac.new` builds an `HMAC`: hooking the class covers both spellings.
    _wrap(module.HMAC, "__init__", lambda self, *a, **k: new(*a, **k), "hmac.HMAC", always=True)
    _wrap(module, "digest", digest, "hmac.digest", always=True)


def _install_credentials_boto3(module: ModuleType) -> None:
    def session(self: Any, *args: Any, **kwargs: Any) -> None:
        _credential("HARDCODED_SECRET", "boto3.Session", "aws_secret_access_key", _arg(args, kwargs, 1, "aws_secret_access_key"))

    def client(self: Any, *args: Any, **kwargs: Any) -> None:
        _credential("HARDCODED_SECRET", "boto3.client", "aws_secret_access_key", _arg(args, kwargs, 7, "aws_secret_access_key"))

    cls = module.Session
    _wrap(cls, "__init__", session, "boto3.Session", always=True)
    _wrap(cls, "client", client, "boto3.client", always=True)
    _wrap(cls, "resource", client, "boto3.resource", always=True)


def _install_credentials_flask(module: ModuleType) -> None:
    """`app.secret_key = ...` and `app.config["SECRET_KEY"] = ...` both set the config."""

    def setitem(self: Any, key: Any, value: Any) -> None:
        if type(key) is str and key.endswith("SECRET_KEY"):
            where = _hardcoded(value)
            if where is not None:
                _sinks.report_plain("HARDCODED_SECRET", f"app.config[{key!r}] = {_REDACTED}", location=where)

    _wrap(module.Config, "__setitem__", setitem, "flask.Config", always=True)


# ---------------------------------------------------------------------------------------
# Weak hashing and ciphers: reported at the application line that asked for them.

_WEAK_HASHES = frozenset({"md2", "md4", "md5", "sha1", "sha-1", "md5-sha1", "md5_sha1"})


def _install_hashlib(hashlib: ModuleType) -> None:
    def named(name: str) -> Callable[..., None]:
        def constructor(*args: Any, **kwargs: Any) -> None:
            if kwargs.get("usedforsecurity", True):
                _report_at_caller("WEAK_HASH", name)

        return constructor

    def new(name: Any = None, *args: Any, **kwargs: Any) -> None:
        name = kwargs.get("name", name)
        if type(name) is str and name.lower() in _WEAK_HASHES and kwargs.get("usedforsecurity", True):
            _report_at_caller("WEAK_HASH", name.lower())

    def file_digest(fileobj: Any = None, digest: Any = None, *args: Any, **kwargs: Any) -> None:
        digest = kwargs.get("digest", digest)
        name = digest if type(digest) is str else getattr(digest, "__name__", "")
        name = name.lower().replace("openssl_", "")
        if name in _WEAK_HASHES:
            _report_at_caller("WEAK_HASH", name)

    for name in ("md5", "sha1"):
        _wrap(hashlib, name, named(name), f"hashlib.{name}", always=True)
    _wrap(hashlib, "new", new, "hashlib.new", always=True)
    _wrap(hashlib, "file_digest", file_digest, "hashlib.file_digest", always=True)


def _install_pycryptodome_hash(name: str) -> Callable[[ModuleType], None]:
    def install(module: ModuleType) -> None:
        def new(*args: Any, **kwargs: Any) -> None:
            _report_at_caller("WEAK_HASH", name.lower())

        _wrap(module, "new", new, f"{module.__name__}.new", always=True)

    return install


_WEAK_CIPHER_MODULES = {"DES": "DES", "DES3": "3DES", "ARC2": "RC2", "ARC4": "RC4", "Blowfish": "Blowfish",
                        "CAST": "CAST"}


def _install_pycryptodome_cipher(name: str) -> Callable[[ModuleType], None]:
    """`Crypto.Cipher.<name>.new(key, mode, ...)`: weak whatever the mode for the
    ciphers of `_WEAK_CIPHER_MODULES`, weak in ECB mode for the others."""

    def install(module: ModuleType) -> None:
        weak = _WEAK_CIPHER_MODULES.get(name)
        ecb = getattr(module, "MODE_ECB", None)

        def new(key: Any = None, *args: Any, **kwargs: Any) -> None:
            if weak is not None:
                _report_at_caller("WEAK_CIPHER", weak)
                return
            mode = kwargs.get("mode", args[0] if args else None)
            if ecb is not None and mode == ecb:
                _report_at_caller("WEAK_CIPHER", f"{name}/ECB")

        _wrap(module, "new", new, f"{module.__name__}.new", always=True)

    return install


# `CipherAlgorithm.name` of cryptography's broken or 64-bit-block ciphers.
_WEAK_ALGORITHMS = frozenset({"3DES", "DES", "RC4", "RC2", "Blowfish", "CAST5", "IDEA", "SEED"})


def _install_cryptography_cipher(module: ModuleType) -> None:
    def cipher(self: Any, algorithm: Any = None, mode: Any = None, *args: Any, **kwargs: Any) -> None:
        algorithm = kwargs.get("algorithm", algorithm)
        mode = kwargs.get("mode", mode)
        name = getattr(algorithm, "name", "")
        if type(name) is not str:
            return
        if name in _WEAK_ALGORITHMS:
            _report_at_caller("WEAK_CIPHER", name)
        elif getattr(mode, "name", "") == "ECB":
            _report_at_caller("WEAK_CIPHER", f"{name}/ECB")

    _wrap(module.Cipher, "__init__", cipher, "cryptography Cipher", always=True)


def _install_cryptography_hashes(module: ModuleType) -> None:
    """`hashes.MD5()` and `hashes.SHA1()`. cryptography's Rust code also creates these
    objects (a certificate's `signature_hash_algorithm`), with the application's frame
    as the caller: only a frame that names the class asked for it."""

    def algorithm(cls: type) -> Callable[..., None]:
        def init(self: Any, *args: Any, **kwargs: Any) -> None:
            if type(self) is not cls:
                return
            frame = sys._getframe(1)
            while frame is not None and _classify(frame.f_code.co_filename) is _AGENT:
                frame = frame.f_back
            if frame is None:
                return
            code = frame.f_code
            if cls.__name__ in code.co_names or cls.__name__ in code.co_varnames or any(
                frame.f_globals.get(name) is cls for name in code.co_names
            ):
                _report_at_caller("WEAK_HASH", cls.name.lower())

        return init

    for name in ("MD5", "SHA1"):
        cls = getattr(module, name, None)
        if cls is not None:
            _wrap(cls, "__init__", algorithm(cls), f"cryptography hashes.{name}", always=True)


# ---------------------------------------------------------------------------------------
# LDAP: filters built from the request, and the escaping functions that make them safe.


def _sanitiser(owner: Any, attr: str, kinds: tuple) -> None:
    """Wraps `owner.attr(value, ...)` so its result keeps `value`'s taint, marked secure
    for `kinds`."""
    original = getattr(owner, attr, None)
    if original is None or getattr(original, "__moat_iast_original__", None) is not None:
        return
    mark = _sinks.hook(f"{getattr(owner, '__name__', owner)}.{attr}")(_sinks.mark_secure)

    @functools.wraps(original)
    def sanitiser(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if args and _context.current() is not None and type(args[0]) in _TEXT:
            mark(result, args[0], kinds)
        return result

    sanitiser.__moat_iast_original__ = original  # type: ignore[attr-defined]
    setattr(owner, attr, sanitiser)


def _install_ldap3(module: ModuleType) -> None:
    def search(self: Any, search_base: Any = None, search_filter: Any = None, *args: Any, **kwargs: Any) -> None:
        _sinks.check("LDAP_INJECTION", kwargs.get("search_filter", search_filter))

    def connection(self: Any, *args: Any, **kwargs: Any) -> None:
        _credential("HARDCODED_PASSWORD", "ldap3.Connection", "password", _arg(args, kwargs, 2, "password"))

    def rebind(self: Any, *args: Any, **kwargs: Any) -> None:
        _credential("HARDCODED_PASSWORD", "ldap3.Connection.rebind", "password", _arg(args, kwargs, 1, "password"))

    _wrap(module.Connection, "search", search, "ldap3.Connection.search")
    _wrap(module.Connection, "__init__", connection, "ldap3.Connection", always=True)
    _wrap(module.Connection, "rebind", rebind, "ldap3.Connection.rebind", always=True)


def _install_python_ldap(module: ModuleType) -> None:
    """python-ldap: `search`, `search_s`, `search_st` and `search_ext_s` all call
    `search_ext`; every bind calls `simple_bind`."""

    def search_ext(self: Any, base: Any = None, scope: Any = None, filterstr: Any = None, *args: Any, **kwargs: Any) -> None:
        _sinks.check("LDAP_INJECTION", kwargs.get("filterstr", filterstr))

    def simple_bind(self: Any, who: Any = None, cred: Any = None, *args: Any, **kwargs: Any) -> None:
        _credential("HARDCODED_PASSWORD", "ldap.simple_bind", "cred", kwargs.get("cred", cred))

    cls = module.SimpleLDAPObject
    _wrap(cls, "search_ext", search_ext, "ldap.search_ext")
    _wrap(cls, "simple_bind", simple_bind, "ldap.simple_bind", always=True)


# ---------------------------------------------------------------------------------------
# lxml: XXE when a parser that resolves entities parses request data, XPath injection in
# compiled expressions and evaluators.
#
# lxml's types are C types whose methods cannot be replaced: `etree.XPath`, the
# evaluators and `XMLParser` are replaced by subclasses that check, then call lxml. Their
# metaclass keeps `isinstance` answering as for lxml's own class, so objects lxml creates
# still pass the application's checks. `_Element.xpath` and `_ElementTree.xpath` build
# their evaluator in C: they are checked where the application calls them (`_ops`).


class _Mirror(type):
    """Metaclass of the agent's stand-ins for lxml classes: `isinstance(x, stand_in)`
    answers as `isinstance(x, lxml_class)`."""

    def __instancecheck__(cls, obj: Any) -> bool:
        original = cls.__dict__.get("__moat_iast_original__")
        return isinstance(obj, original) if original is not None else type.__instancecheck__(cls, obj)

    def __subclasscheck__(cls, sub: type) -> bool:
        original = cls.__dict__.get("__moat_iast_original__")
        return issubclass(sub, original) if original is not None else type.__subclasscheck__(cls, sub)


def _stand_in(original: type, methods: dict, slots: tuple = ()) -> type:
    namespace = dict(methods)
    namespace.update(
        __slots__=slots,
        __module__=original.__module__,
        __qualname__=original.__qualname__,
        __doc__=original.__doc__,
        __moat_iast_original__=original,
    )
    return _Mirror(original.__name__, (original,), namespace)


_check_xpath = _sinks.hook("lxml XPath")(lambda value: _sinks.check("XPATH_INJECTION", value))


def _xpath_class(original: type) -> type:
    """`XPath(path, ...)` and `ETXPath(path, ...)` compile `path`."""

    def __init__(self: Any, path: Any, *args: Any, **kwargs: Any) -> None:
        if _context.current() is not None:
            _check_xpath(path)
        original.__init__(self, path, *args, **kwargs)

    return _stand_in(original, {"__init__": __init__})


def _evaluator_class(original: type) -> type:
    """`XPathElementEvaluator(element)(path)` evaluates `path`."""

    def __call__(self: Any, _path: Any, **_variables: Any) -> Any:
        if _context.current() is not None:
            _check_xpath(_path)
        return original.__call__(self, _path, **_variables)

    return _stand_in(original, {"__call__": __call__})


@_sinks.hook("lxml _Element.xpath")
def _element_xpath(owner: Any, args: tuple, kwargs: dict) -> None:
    """`element.xpath(path, **variables)` evaluates `path`."""
    _sinks.check("XPATH_INJECTION", args[0] if args else kwargs.get("_path"))


_PEEK = 1 << 20


def _peek(source: Any) -> Any:
    """The start of what a file object passed to a parser holds, read and then put back
    (an upload's `read` returns it tainted), or None for a path or a stream that cannot
    be rewound. The DTD that makes XXE comes first, so the first MiB is enough."""
    if isinstance(source, (str, bytes, os.PathLike)) or not callable(getattr(source, "read", None)):
        return None
    try:
        if not source.seekable():
            return None
        at = source.tell()
    except Exception:  # not a regular file object: not looked into
        return None
    try:
        return source.read(_PEEK)
    finally:
        source.seek(at)


def _lxml_default_resolves(etree: ModuleType) -> bool:
    """lxml resolved every entity by default before 5.0, internal ones only since."""
    return tuple(getattr(etree, "LXML_VERSION", (5,)))[:1] < (5,)


def _resolves(kwargs: dict, default: bool) -> bool:
    resolve = kwargs.get("resolve_entities", default)
    if resolve and resolve != "internal":
        return True
    # An external DTD fetched over the network: out-of-band XXE.
    loads_dtd = kwargs.get("load_dtd") or kwargs.get("dtd_validation") or kwargs.get("attribute_defaults")
    return bool(loads_dtd) and not kwargs.get("no_network", True)


def _install_lxml(etree: ModuleType) -> None:
    default = _lxml_default_resolves(etree)
    parser_class = etree.XMLParser
    html_parser = getattr(etree, "HTMLParser", ())

    @_sinks.hook("lxml XMLParser.feed")
    def check_feed(parser: Any, data: Any) -> None:
        if getattr(parser, "_moat_iast_entities", False) and _sinks.tainted(data):
            _sinks.check("XXE", data)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        parser_class.__init__(self, *args, **kwargs)
        self._moat_iast_entities = _resolves(kwargs, default)

    def feed(self: Any, data: Any) -> Any:
        if _context.current() is not None:
            check_feed(self, data)
        return parser_class.feed(self, data)

    stand_in = _stand_in(parser_class, {"__init__": __init__, "feed": feed}, ("_moat_iast_entities",))

    def resolves(parser: Any) -> bool:
        if parser is None:
            parser = etree.get_default_parser()
        if isinstance(type(parser), _Mirror):
            return bool(getattr(parser, "_moat_iast_entities", default))
        if isinstance(parser, html_parser):
            return False
        return default  # a parser made by lxml, or before the agent: lxml's defaults

    def parse_text(text: Any = None, parser: Any = None, *args: Any, **kwargs: Any) -> None:
        if _sinks.tainted(text) and resolves(kwargs.get("parser", parser)):
            _sinks.check("XXE", text)

    def parse_file(source: Any = None, parser: Any = None, *args: Any, **kwargs: Any) -> None:
        if resolves(kwargs.get("parser", parser)):
            data = _peek(source)
            if _sinks.tainted(data):
                _sinks.check("XXE", data)

    etree.XMLParser = stand_in
    _wrap(etree, "parse", parse_file, "lxml.etree.parse")
    for name in ("fromstring", "XML", "XMLID", "XMLDTDID", "fromstringlist"):
        if hasattr(etree, name):
            _wrap(etree, name, parse_text if name != "fromstringlist" else _each(parse_text), f"lxml.etree.{name}")

    for name in ("XPath", "ETXPath"):
        if hasattr(etree, name):
            setattr(etree, name, _xpath_class(getattr(etree, name)))
    element_evaluator = _evaluator_class(etree.XPathElementEvaluator)
    document_evaluator = _evaluator_class(etree.XPathDocumentEvaluator)
    etree.XPathElementEvaluator = element_evaluator
    etree.XPathDocumentEvaluator = document_evaluator
    tree_type = etree._ElementTree
    factory = etree.XPathEvaluator

    def XPathEvaluator(etree_or_element: Any, **kwargs: Any) -> Any:  # noqa: N802 - lxml's name
        if isinstance(etree_or_element, tree_type):
            return document_evaluator(etree_or_element, **kwargs)
        return element_evaluator(etree_or_element, **kwargs)

    _ops.call_sink("xpath", (etree._Element, tree_type), _element_xpath)

    XPathEvaluator.__doc__ = factory.__doc__
    XPathEvaluator.__moat_iast_original__ = factory  # type: ignore[attr-defined]
    etree.XPathEvaluator = XPathEvaluator


def _each(check: Callable[..., None]) -> Callable[..., None]:
    def each(strings: Any = None, parser: Any = None, *args: Any, **kwargs: Any) -> None:
        if isinstance(strings, (list, tuple)):
            for text in strings:
                check(text, kwargs.get("parser", parser))

    return each


# ---------------------------------------------------------------------------------------
# The standard library's XML and elementpath.


def _install_pulldom(pulldom: ModuleType) -> None:
    """`pulldom.parseString(text, parser)` (and `minidom.parseString(text, parser)`, which
    calls it) with a SAX parser that loads external general entities."""

    def parse_string(string: Any = None, parser: Any = None, *args: Any, **kwargs: Any) -> None:
        parser = kwargs.get("parser", parser)
        if parser is None or not _sinks.tainted(string):
            return
        from xml.sax.handler import feature_external_ges

        try:
            external = parser.getFeature(feature_external_ges)
        except Exception:
            return
        if external:
            _sinks.check("XXE", string)

    _wrap(pulldom, "parseString", parse_string, "xml.dom.pulldom.parseString")


def _install_elementpath(module: ModuleType) -> None:
    def select(root: Any = None, path: Any = None, *args: Any, **kwargs: Any) -> None:
        _sinks.check("XPATH_INJECTION", kwargs.get("path", path))

    def selector(self: Any, path: Any = None, *args: Any, **kwargs: Any) -> None:
        _sinks.check("XPATH_INJECTION", kwargs.get("path", path))

    selectors = sys.modules.get("elementpath.xpath_selectors")
    for owner in (module, selectors):
        for name in ("select", "iter_select"):
            if owner is not None:
                _wrap(owner, name, select, f"elementpath.{name}")
    selector_class = getattr(module, "Selector", None)
    if selector_class is not None:
        _wrap(selector_class, "__init__", selector, "elementpath.Selector")


# ---------------------------------------------------------------------------------------


def install() -> None:
    """Waits for each library: nothing is imported that the application does not."""
    when = _patches.when_imported
    when("hashlib", _install_hashlib)
    when("hmac", _install_credentials_hmac)
    when("smtplib", _install_credentials_smtplib)
    when("xml.dom.pulldom", _install_pulldom)
    for package in ("Crypto", "Cryptodome"):
        for name in ("MD2", "MD4", "MD5", "SHA1"):
            when(f"{package}.Hash.{name}", _install_pycryptodome_hash(name))
        for name in (*_WEAK_CIPHER_MODULES, "AES"):
            when(f"{package}.Cipher.{name}", _install_pycryptodome_cipher(name))
    when("cryptography.hazmat.primitives.ciphers.base", _install_cryptography_cipher)
    when("cryptography.hazmat.primitives.hashes", _install_cryptography_hashes)
    when("lxml.etree", _install_lxml)
    when("elementpath", _install_elementpath)
    when("ldap3.core.connection", _install_ldap3)
    when("ldap3.utils.conv", lambda module: _sanitiser(module, "escape_filter_chars", ("LDAP_INJECTION",)))
    when("ldap.ldapobject", _install_python_ldap)
    when("ldap.filter", lambda module: _sanitiser(module, "escape_filter_chars", ("LDAP_INJECTION",)))
    when("pymysql.connections", _install_credentials_pymysql)
    when("psycopg2", _install_credentials_psycopg2)
    when("sqlalchemy", _install_credentials_sqlalchemy)
    when("requests", _install_credentials_requests)
    when("jwt", _install_credentials_jwt)
    when("boto3.session", _install_credentials_boto3)
    when("flask.config", _install_credentials_flask)
