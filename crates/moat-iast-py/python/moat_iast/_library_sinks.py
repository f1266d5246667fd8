"""Sinks in libraries, and in the standard library's file, network, code and
deserialisation APIs: SQL drivers and SQLAlchemy, pymongo, `eval`/`exec`/`compile`,
file paths (with `os.path.join` and `pathlib` carrying taint), HTTP clients, and
deserialisers.

Third-party libraries are hooked when the application imports them
(`_patches.when_imported`), so the agent imports nothing the application does not.
Each hook asks the core whether tainted text makes the call exploitable and reports it
at the application frame that called the library.

This module deliberately has no `from __future__ import annotations`: `eval`, `exec` and
`compile` inherit the `__future__` flags of the frame that calls them, and the wrappers
below call them. Flags of this module would leak into the application's code; instead,
the caller's flags are passed on explicitly.
"""

import builtins
import functools
import os
import sys
import types
from typing import Any, Callable, Dict, List, Optional, Tuple

from moat_iast import _context, _patches, _sinks

_TEXT = (str, bytes)


def _patch_module(install: Callable[[], None], what: str) -> None:
    """Runs `install` (hooks of a module the agent already has), failing open."""
    try:
        install()
    except Exception as error:  # fail open: the application runs without these hooks
        print(f"moat-iast: {what} not hooked: {error!r}", file=sys.stderr)


def _methods(cls: Any, names: Tuple[str, ...], before: Callable[..., Any], label: str) -> None:
    """Wraps each of `names` that `cls` defines itself in Python (not inherited, which
    would check twice, nor a C method, which cannot be replaced)."""
    for name in names:
        if isinstance(vars(cls).get(name), types.FunctionType):
            _sinks.wrap(cls, name, before, f"{label}.{name}")


# --- SQL injection ------------------------------------------------------------------

def _statement(self: Any, query: Any = None, *args: Any, **kwargs: Any) -> None:
    """`cursor.execute(query, ...)` and every driver method that takes the statement first."""
    _sinks.check("SQL_INJECTION", query)


def _text_statement(self: Any, statement: Any = None, *args: Any, **kwargs: Any) -> None:
    """`Connection.execute(statement)` or `Session.execute(statement)`: only a plain
    string is SQL text here; constructs were checked when `text()` built them."""
    if type(statement) in _TEXT:
        _sinks.check("SQL_INJECTION", statement)


class _CheckedCursor:
    """Mixed into a psycopg2 cursor class whose methods are C code: the statement is
    checked, then the cursor class runs as it would."""

    def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        _sinks.check("SQL_INJECTION", query)
        return super().execute(query, *args, **kwargs)  # type: ignore[misc]

    def executemany(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        _sinks.check("SQL_INJECTION", query)
        return super().executemany(query, *args, **kwargs)  # type: ignore[misc]

    def copy_expert(self, sql: Any, *args: Any, **kwargs: Any) -> Any:
        _sinks.check("SQL_INJECTION", sql)
        return super().copy_expert(sql, *args, **kwargs)  # type: ignore[misc]


_checked_cursors: Dict[type, type] = {}
_checked_connections: Dict[type, type] = {}


def _checked_cursor(factory: Any) -> Any:
    """`factory` itself when its statements are already checked (a Python cursor class
    of `psycopg2.extras`, hooked directly), else a subclass that checks them."""
    if not isinstance(factory, type):
        return factory
    if issubclass(factory, _CheckedCursor) or hasattr(getattr(factory, "execute", None), "__moat_iast_original__"):
        return factory
    checked = _checked_cursors.get(factory)
    if checked is None:
        attrs = {"__module__": factory.__module__, "__qualname__": factory.__qualname__, "__doc__": factory.__doc__}
        checked = type(factory.__name__, (_CheckedCursor, factory), attrs)
        _checked_cursors[factory] = checked
    return checked


def _psycopg2(module: types.ModuleType) -> None:
    # psycopg2's cursor and connection are C types: `connect` hands out a connection
    # subclass whose cursors check their statements, whatever cursor class is asked for.
    from psycopg2 import extensions

    base_cursor = extensions.connection.cursor

    def cursor(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            if len(args) > 1:
                args = (args[0], _checked_cursor(args[1] or self.cursor_factory or extensions.cursor), *args[2:])
            else:
                factory = kwargs.get("cursor_factory") or self.cursor_factory or extensions.cursor
                kwargs["cursor_factory"] = _checked_cursor(factory)
        except Exception:  # fail open: an unchecked cursor
            pass
        return base_cursor(self, *args, **kwargs)

    def checked_connection(base: Any) -> Any:
        # A connection class whose `cursor` is Python code (`LoggingConnection`) picks a
        # Python cursor class, hooked in `psycopg2.extras`; only the C one is replaced.
        if not isinstance(base, type) or getattr(base, "cursor", None) is not base_cursor:
            return base
        checked = _checked_connections.get(base)
        if checked is None:
            attrs = {"__module__": base.__module__, "__qualname__": base.__qualname__, "__doc__": base.__doc__,
                     "cursor": cursor}
            checked = type(base.__name__, (base,), attrs)
            _checked_connections[base] = checked
        return checked

    original = module.connect
    if getattr(original, "__moat_iast_original__", None) is not None:
        return

    @functools.wraps(original)
    def connect(*args: Any, **kwargs: Any) -> Any:
        try:
            if len(args) > 1:
                args = (args[0], checked_connection(args[1] or extensions.connection), *args[2:])
            else:
                kwargs["connection_factory"] = checked_connection(kwargs.get("connection_factory") or extensions.connection)
        except Exception:
            pass
        return original(*args, **kwargs)

    connect.__moat_iast_original__ = original  # type: ignore[attr-defined]
    module.connect = connect


def _psycopg2_extras(module: types.ModuleType) -> None:
    from psycopg2 import extensions

    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, extensions.cursor):
            _methods(value, ("execute", "executemany", "copy_expert"), _statement, f"psycopg2.extras.{value.__name__}")


def _psycopg(module: types.ModuleType) -> None:
    # psycopg 3's cursors are Python classes (its C speedups are adapters, not cursors).
    for name in ("Cursor", "ServerCursor", "ClientCursor", "RawCursor", "AsyncCursor", "AsyncServerCursor",
                 "AsyncClientCursor", "AsyncRawCursor"):
        cls = getattr(module, name, None)
        if isinstance(cls, type):
            _methods(cls, ("execute", "executemany", "stream", "copy"), _statement, f"psycopg.{name}")


def _pymysql(module: types.ModuleType) -> None:
    from pymysql import cursors

    _methods(cursors.Cursor, ("execute", "executemany"), _statement, "pymysql.cursors.Cursor")


def _mysqldb(module: types.ModuleType) -> None:
    from MySQLdb import cursors

    _methods(cursors.BaseCursor, ("execute", "executemany"), _statement, "MySQLdb.cursors.BaseCursor")


def _sqlalchemy(module: types.ModuleType) -> None:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.sql.elements import TextClause

    # Every path to textual SQL builds a TextClause: `text()`, and plain strings that
    # SQLAlchemy 1.x coerces. The report is at the application line that led there.
    _methods(TextClause, ("__init__",), _statement, "sqlalchemy.TextClause")
    _methods(Connection, ("exec_driver_sql",), _statement, "sqlalchemy.Connection")
    _methods(Connection, ("execute",), _text_statement, "sqlalchemy.Connection")
    _methods(Engine, ("execute",), _text_statement, "sqlalchemy.Engine")


def _sqlalchemy_orm(module: types.ModuleType) -> None:
    _methods(module.Session, ("execute",), _text_statement, "sqlalchemy.orm.Session")


# --- NoSQL injection ----------------------------------------------------------------

# Operators whose operand MongoDB takes as a value: a document there is data, its keys
# are not operators.
_LITERAL_OPERATORS = frozenset({
    "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$all", "$size", "$type",
    "$mod", "$regex", "$options", "$exists", "$literal", "$bitsAllSet", "$bitsAnySet",
    "$bitsAllClear", "$bitsAnyClear",
})
# Operators whose operand is JavaScript run by the server.
_CODE_OPERATORS = frozenset({"$where", "$function", "$accumulator"})
_MAX_NODES = 2000
_MAX_EVIDENCE = 2000


class _Query:
    """The evidence text of a MongoDB query document, with the injected parts
    (operators named by the request, JavaScript it wrote) as tainted runs."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.parts: List[str] = []
        self.size = 0
        self.runs: List[Tuple[int, int, str, str]] = []
        self.nodes = 0

    def emit(self, text: str, injected: Any = None) -> None:
        if self.size >= _MAX_EVIDENCE:
            return
        if injected is not None:
            for start, length, kind, name in self.ctx.ranges(injected):
                self.runs.append((self.size + start, length, kind, name))
        self.parts.append(text)
        self.size += len(text)

    def text(self, value: Any, injected: bool) -> None:
        if type(value) is str:
            self.emit('"')
            self.emit(value, value if injected and self.ctx.is_tainted(value) else None)
            self.emit('"')
        elif value is None or isinstance(value, bool):
            self.emit({None: "null", True: "true", False: "false"}[value])
        elif isinstance(value, (int, float)):
            self.emit(repr(value))
        else:
            self.emit(f"<{type(value).__name__}>")

    def walk(self, value: Any, depth: int = 0, literal: bool = False) -> None:
        self.nodes += 1
        if self.nodes > _MAX_NODES or depth > 40:
            self.emit("...")
            return
        if isinstance(value, dict):
            self.emit("{")
            for i, (key, item) in enumerate(value.items()):
                if i:
                    self.emit(", ")
                operator = type(key) is str and key.startswith("$")
                self.text(key, injected=operator and not literal)
                self.emit(": ")
                if operator and not literal and key in _CODE_OPERATORS:
                    code = item.get("body") if isinstance(item, dict) else item
                    if type(code) is str:
                        self.text(code, injected=True)
                        continue
                self.walk(item, depth + 1, literal or key in _LITERAL_OPERATORS)
            self.emit("}")
        elif isinstance(value, (list, tuple)):
            self.emit("[")
            for i, item in enumerate(value):
                if i:
                    self.emit(", ")
                self.walk(item, depth + 1, literal)
            self.emit("]")
        else:
            self.text(value, injected=False)


def _check_query(document: Any) -> None:
    ctx = _context.current()
    if ctx is None or not isinstance(document, (dict, list, tuple)):
        return
    query = _Query(ctx)
    query.walk(document)
    if not query.runs:
        return
    evidence = "".join(query.parts)
    ctx.taint_runs(evidence, query.runs)
    _sinks.check("NOSQL_INJECTION", evidence)


def _mongo_query(self: Any, *args: Any, **kwargs: Any) -> None:
    """A `Collection` method: every query, update and pipeline document it is given."""
    for value in args:
        _check_query(value)
    for key in ("filter", "update", "pipeline", "replacement"):
        _check_query(kwargs.get(key))


def _pymongo(module: types.ModuleType) -> None:
    names = ("find", "find_one", "find_one_and_delete", "find_one_and_replace", "find_one_and_update",
             "update_one", "update_many", "replace_one", "delete_one", "delete_many", "count_documents",
             "distinct", "aggregate", "aggregate_raw_batches", "find_raw_batches", "watch")
    classes = [module.collection.Collection]
    asynchronous = sys.modules.get("pymongo.asynchronous.collection")
    if asynchronous is not None:
        classes.append(asynchronous.AsyncCollection)
    for cls in classes:
        _methods(cls, names, _mongo_query, f"pymongo.{cls.__name__}")


# --- Code injection -----------------------------------------------------------------

_FUTURE_FLAGS = 0
for _feature in __import__("__future__").all_feature_names:
    _FUTURE_FLAGS |= getattr(__import__("__future__"), _feature).compiler_flag
_ONLY_AST = 0x400  # ast.PyCF_ONLY_AST: `ast.parse` and `ast.literal_eval` run nothing
_NEW_KEYWORDS = sys.version_info >= (3, 13)  # eval(globals=..., locals=...) and exec likewise


def _caller_locals(frame: Any) -> Any:
    f_locals = frame.f_locals
    # Since 3.13 a function's `f_locals` writes through to its variables, while `exec()`
    # in a function works on a snapshot (PEP 667), as `locals()` returns.
    if _NEW_KEYWORDS and type(f_locals) is not dict:
        return dict(f_locals)
    return f_locals


def _with_caller_flags(source: Any, mode: str, frame: Any, compile_: Any) -> Any:
    """`source` compiled as `eval` or `exec` would compile it in `frame`, when that frame
    has `__future__` flags the wrapper would not pass on; else `source` as it is."""
    flags = frame.f_code.co_flags & _FUTURE_FLAGS
    if not flags or type(source) not in (str, bytes, bytearray):
        return source
    if mode == "eval":
        source = source.lstrip(b" \t" if type(source) is not str else " \t")
    return compile_(source, "<string>", mode, flags, True)


def _install_code() -> None:
    original_eval, original_exec, original_compile = builtins.eval, builtins.exec, builtins.compile
    if getattr(original_eval, "__moat_iast_original__", None) is not None:
        return
    check = _sinks.hook("builtins.eval/exec/compile")(lambda source: _sinks.check("CODE_INJECTION", source))

    def run(original: Any, mode: str, args: Any, kwargs: Any) -> Any:
        if _context.current() is not None and args:
            check(args[0])
        namespace = args[1] if len(args) > 1 else kwargs.get("globals")
        if namespace is not None or not args or len(args) > 3 or (kwargs and not _NEW_KEYWORDS):
            return original(*args, **kwargs)
        # No globals: the builtin would run in its caller's namespaces, which is the
        # application's frame two levels up from here, not this wrapper's.
        frame = sys._getframe(2)
        local = args[2] if len(args) > 2 else kwargs.pop("locals", None)
        kwargs.pop("globals", None)
        if local is None:
            local = _caller_locals(frame)
        source = _with_caller_flags(args[0], mode, frame, original_compile)
        return original(source, frame.f_globals, local, **kwargs)

    @functools.wraps(original_eval)
    def eval(*args: Any, **kwargs: Any) -> Any:
        return run(original_eval, "eval", args, kwargs)

    @functools.wraps(original_exec)
    def exec(*args: Any, **kwargs: Any) -> Any:
        return run(original_exec, "exec", args, kwargs)

    @functools.wraps(original_compile)
    def compile(source: Any, filename: Any, mode: Any, flags: Any = 0, dont_inherit: Any = False,
                optimize: Any = -1, **kwargs: Any) -> Any:
        if _context.current() is not None and not (type(flags) is int and flags & _ONLY_AST):
            check(source)
        if not dont_inherit:
            inherited = sys._getframe(1).f_code.co_flags & _FUTURE_FLAGS
            if inherited and type(flags) is int:
                flags, dont_inherit = flags | inherited, True
            elif not inherited:
                dont_inherit = True
        return original_compile(source, filename, mode, flags, dont_inherit, optimize, **kwargs)

    for wrapper, original in ((eval, original_eval), (exec, original_exec), (compile, original_compile)):
        wrapper.__moat_iast_original__ = original  # type: ignore[attr-defined]
    builtins.eval, builtins.exec, builtins.compile = eval, exec, compile


# --- Path traversal -----------------------------------------------------------------

def _path_text(value: Any) -> Any:
    if type(value) in _TEXT:
        return value
    pathlib = sys.modules.get("pathlib")
    if pathlib is not None and isinstance(value, pathlib.PurePath):
        return str(value)  # the cached text, tainted when the path was built (`_pathlib`)
    return None


def _check_path(value: Any) -> None:
    text = _path_text(value)
    if text is not None:
        _sinks.check("PATH_TRAVERSAL", text)


# Modules whose file functions call the hooked ones: `os.makedirs` calls `os.mkdir`,
# `codecs.open` calls `open`. The call the application made was the one to check.
_WRAPPING_MODULES = frozenset({"os", "posixpath", "ntpath", "genericpath", "codecs"})


def _called_by_wrapping_module() -> bool:
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("moat_iast"):
        frame = frame.f_back
    return frame is not None and frame.f_globals.get("__name__") in _WRAPPING_MODULES


def _one_path(*args: Any, **kwargs: Any) -> None:
    if not _called_by_wrapping_module():
        _check_path(args[0] if args else kwargs.get("path", kwargs.get("file", kwargs.get("name"))))


def _two_paths(*args: Any, **kwargs: Any) -> None:
    if not _called_by_wrapping_module():
        for value in (*args[:2], kwargs.get("src"), kwargs.get("dst")):
            _check_path(value)


_OS_ONE_PATH = ("open", "remove", "unlink", "listdir", "scandir", "stat", "lstat", "mkdir", "makedirs", "rmdir",
                "removedirs", "chmod", "chown", "truncate", "readlink", "utime", "access")
_OS_TWO_PATHS = ("rename", "renames", "replace", "link", "symlink")
_SHUTIL_ONE_PATH = ("rmtree",)
_SHUTIL_TWO_PATHS = ("copy", "copy2", "copyfile", "copytree", "copymode", "copystat", "move")


def _keep_capabilities(originals: Dict[str, Any]) -> None:
    # `os.supports_dir_fd` and its siblings hold functions: `shutil.rmtree` only takes
    # its symlink-safe path when `os.open` is in them, so the wrappers are added too.
    for name, original in originals.items():
        wrapper = getattr(os, name)
        if wrapper is original:
            continue
        for capabilities in (os.supports_dir_fd, os.supports_fd, os.supports_follow_symlinks,
                             getattr(os, "supports_effective_ids", set())):
            if isinstance(capabilities, set) and original in capabilities:
                capabilities.add(wrapper)


def _install_files() -> None:
    import codecs
    import io

    _sinks.wrap(builtins, "open", _one_path, "builtins.open")
    _sinks.wrap(io, "open", _one_path, "io.open")
    _sinks.wrap(codecs, "open", _one_path, "codecs.open")
    originals = {name: getattr(os, name) for name in (*_OS_ONE_PATH, *_OS_TWO_PATHS) if hasattr(os, name)}
    for name in _OS_ONE_PATH:
        _sinks.wrap(os, name, _one_path, f"os.{name}")
    for name in _OS_TWO_PATHS:
        _sinks.wrap(os, name, _two_paths, f"os.{name}")
    _keep_capabilities(originals)
    _install_join()


def _shutil(module: types.ModuleType) -> None:
    for name in _SHUTIL_ONE_PATH:
        _sinks.wrap(module, name, _one_path, f"shutil.{name}")
    for name in _SHUTIL_TWO_PATHS:
        _sinks.wrap(module, name, _two_paths, f"shutil.{name}")


def _join_pieces(args: Tuple[Any, ...]) -> Optional[List[Any]]:
    """The pieces `posixpath.join` concatenates: arguments and the separators it adds."""
    sep: Any = "/" if type(args[0]) is str else b"/"
    pieces = [args[0]]
    path = args[0]
    for part in args[1:]:
        if type(part) is not type(sep):
            return None
        if part.startswith(sep):
            pieces, path = [part], part
        elif not path or path.endswith(sep):
            pieces.append(part)
            path += part
        else:
            pieces += [sep, part]
            path += sep + part
    return pieces


def _install_join() -> None:
    # `os.path.join(base, name)` carries the taint of `name` at the right offsets, so
    # path checks see which segments the request wrote.
    module = os.path
    original = module.join
    if getattr(original, "__moat_iast_original__", None) is not None:
        return

    @functools.wraps(original)
    def join(a: Any, *p: Any) -> Any:
        result = original(a, *p)
        ctx = _context.current()
        if ctx is not None:
            try:
                args = tuple(x if type(x) in _TEXT else os.fspath(x) for x in (a, *p))
                if any(ctx.is_tainted(x) for x in args):
                    pieces = _join_pieces(args) if module.__name__ == "posixpath" else None
                    if pieces is not None and type(result)().join(pieces) == result:
                        ctx.propagate_parts(result, type(result)(), pieces)
                    else:
                        ctx.propagate_found(result, list(args))
            except Exception:  # the agent never breaks the application
                pass
        return result

    join.__moat_iast_original__ = original  # type: ignore[attr-defined]
    module.join = join


def _carry_path(path: Any, args: Any, pure: type) -> None:
    """Taints the cached text of a new `pathlib` path built from tainted arguments."""
    ctx = _context.current()
    if ctx is None:
        return
    try:
        inputs = []
        for arg in args:
            if type(arg) is str:
                text = arg
            elif isinstance(arg, pure):
                text = str(arg)
            else:
                continue
            if ctx.is_tainted(text):
                inputs.append(text)
        if inputs:
            ctx.propagate_found(str(path), inputs)
    except Exception:
        pass


def _pathlib(module: types.ModuleType) -> None:
    # A path's text is built by pathlib, so a new untainted str: taint found again in it
    # from the arguments is stored on the text the path caches, which `open`, `os.stat`
    # and every other file function get through `os.fspath`.
    pure = module.PurePath
    if "_from_parts" in vars(pure) and "_make_child" in vars(pure):  # Python 3.9 to 3.11
        from_parts = vars(pure)["_from_parts"].__func__
        make_child = vars(pure)["_make_child"]
        if getattr(from_parts, "__moat_iast_original__", None) is not None:
            return

        @functools.wraps(from_parts)
        def _from_parts(cls: Any, args: Any, *rest: Any, **kwargs: Any) -> Any:
            path = from_parts(cls, args, *rest, **kwargs)
            _carry_path(path, args, pure)
            return path

        @functools.wraps(make_child)
        def _make_child(self: Any, args: Any) -> Any:
            path = make_child(self, args)
            _carry_path(path, (self, *args), pure)
            return path

        _from_parts.__moat_iast_original__ = from_parts  # type: ignore[attr-defined]
        _make_child.__moat_iast_original__ = make_child  # type: ignore[attr-defined]
        pure._from_parts = classmethod(_from_parts)
        pure._make_child = _make_child
        _path_accessor(module)
        return
    init = vars(pure).get("__init__")
    if not isinstance(init, types.FunctionType) or getattr(init, "__moat_iast_original__", None) is not None:
        return

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        _carry_path(self, args, pure)

    __init__.__moat_iast_original__ = init  # type: ignore[attr-defined]
    pure.__init__ = __init__


def _path_accessor(module: types.ModuleType) -> None:
    # Python 3.9 and 3.10 call the os functions through the class attributes of
    # `_NormalAccessor` (`open = os.open`). Imported before the agent, they hold the
    # unwrapped builtins; imported after, the wrappers, which as Python functions would
    # bind to the accessor as methods. Either way each becomes a static wrapper.
    import io

    accessor = getattr(module, "_NormalAccessor", None)
    if accessor is None:
        return
    wrappers = {}
    for owner in (os, io):
        for name in dir(owner):
            wrapper = getattr(owner, name, None)
            original = getattr(wrapper, "__moat_iast_original__", None)
            if original is not None:
                wrappers[id(original)] = wrapper
                wrappers[id(wrapper)] = wrapper
    for name, value in list(vars(accessor).items()):
        wrapper = wrappers.get(id(value))
        if wrapper is not None:
            setattr(accessor, name, staticmethod(wrapper))


def _flask_files(module: types.ModuleType) -> None:
    # `send_from_directory` is safe: it joins with `safe_join`. `send_file` takes the path as given.
    original = getattr(module, "send_file", None)
    _sinks.wrap(module, "send_file", _one_path, "flask.send_file")
    helpers = getattr(module, "helpers", None)
    if helpers is not None and getattr(helpers, "send_file", None) is original:
        helpers.send_file = module.send_file


# --- Server-side request forgery ----------------------------------------------------

def _check_url(value: Any) -> None:
    if type(value) in _TEXT:
        _sinks.check("SSRF", value)


def _client_request(self: Any, method: Any = None, url: Any = None, *args: Any, **kwargs: Any) -> None:
    """`requests.Session.request`, httpx's `build_request`: the method, then the URL."""
    _check_url(url if url is not None else kwargs.get("str_or_url"))


def _opener_open(self: Any, fullurl: Any = None, *args: Any, **kwargs: Any) -> None:
    _check_url(fullurl if type(fullurl) in _TEXT else getattr(fullurl, "full_url", None))


def _http_connection(self: Any, host: Any = None, *args: Any, **kwargs: Any) -> None:
    _check_url(host)


def _urllib(module: types.ModuleType) -> None:
    # `urlopen`, `build_opener().open` and `urlretrieve` all open through an OpenerDirector.
    _sinks.wrap(module.OpenerDirector, "open", _opener_open, "urllib.request.OpenerDirector.open")


def _http_client(module: types.ModuleType) -> None:
    _sinks.wrap(module.HTTPConnection, "__init__", _http_connection, "http.client.HTTPConnection")


def _requests(module: types.ModuleType) -> None:
    _sinks.wrap(module.sessions.Session, "request", _client_request, "ssrf: requests.Session.request")


def _httpx(module: types.ModuleType) -> None:
    # Every request of both clients, streamed or not, is built by `build_request`.
    for cls in (module.Client, module.AsyncClient):
        _sinks.wrap(cls, "build_request", _client_request, f"httpx.{cls.__name__}.build_request")


def _aiohttp(module: types.ModuleType) -> None:
    _sinks.wrap(module.ClientSession, "_request", _client_request, "aiohttp.ClientSession._request")


# --- Untrusted deserialization ------------------------------------------------------

def _check_data(value: Any) -> None:
    _sinks.check("UNTRUSTED_DESERIALIZATION", value)


def _serialized(data: Any = None, *args: Any, **kwargs: Any) -> None:
    """`pickle.loads(data)`, `marshal.loads`, `jsonpickle.decode(string)`."""
    _check_data(data if data is not None else kwargs.get("string"))


def _serialized_file(file: Any = None, *args: Any, **kwargs: Any) -> None:
    """`pickle.load(file)`: a `BytesIO` over request bytes shares them until written."""
    import io

    if isinstance(file, io.BytesIO):
        _check_data(file.getvalue())


def _shelf(filename: Any = None, *args: Any, **kwargs: Any) -> None:
    _check_data(_path_text(filename))


def _install_serializers() -> None:
    import marshal

    _sinks.wrap(marshal, "loads", _serialized, "marshal.loads")

    def pickle(module: types.ModuleType) -> None:
        _sinks.wrap(module, "loads", _serialized, "pickle.loads")
        _sinks.wrap(module, "load", _serialized_file, "pickle.load")

    def shelve(module: types.ModuleType) -> None:
        _sinks.wrap(module, "open", _shelf, "shelve.open")

    _patches.when_imported("pickle", pickle)
    _patches.when_imported("shelve", shelve)


def _yaml(module: types.ModuleType) -> None:
    from yaml.constructor import UnsafeConstructor

    def load(stream: Any = None, Loader: Any = None, *args: Any, **kwargs: Any) -> None:  # noqa: N803 - PyYAML's name
        # The loaders that build arbitrary Python objects; `SafeLoader` and (since PyYAML
        # 5.4) `FullLoader` do not.
        if isinstance(Loader, type) and issubclass(Loader, UnsafeConstructor):
            _check_data(stream)

    def unsafe(stream: Any = None, *args: Any, **kwargs: Any) -> None:
        _check_data(stream)

    _sinks.wrap(module, "load", load, "yaml.load")
    _sinks.wrap(module, "load_all", load, "yaml.load_all")
    _sinks.wrap(module, "unsafe_load", unsafe, "yaml.unsafe_load")
    _sinks.wrap(module, "unsafe_load_all", unsafe, "yaml.unsafe_load_all")


def _jsonpickle(module: types.ModuleType) -> None:
    _sinks.wrap(module, "decode", _serialized, "jsonpickle.decode")
    _sinks.wrap(module, "loads", _serialized, "jsonpickle.loads")


def install() -> None:
    """Hooks the standard library's sinks of these classes now, and each library's when
    the application imports it."""
    _patch_module(_install_code, "eval, exec and compile")
    _patch_module(_install_files, "file functions")
    _patch_module(_install_serializers, "deserialisers")
    for name, patch in (
        ("pathlib", _pathlib),
        ("shutil", _shutil),
        ("urllib.request", _urllib),
        ("http.client", _http_client),
        ("flask", _flask_files),
        ("psycopg2", _psycopg2),
        ("psycopg2.extras", _psycopg2_extras),
        ("psycopg", _psycopg),
        ("pymysql", _pymysql),
        ("MySQLdb", _mysqldb),
        ("sqlalchemy", _sqlalchemy),
        ("sqlalchemy.orm", _sqlalchemy_orm),
        ("pymongo", _pymongo),
        ("requests", _requests),
        ("httpx", _httpx),
        ("aiohttp", _aiohttp),
        ("yaml", _yaml),
        ("jsonpickle", _jsonpickle),
    ):
        _patches.when_imported(name, patch)
