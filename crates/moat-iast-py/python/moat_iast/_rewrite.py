"""Rewrites an application module's AST so string building goes through `_ops`.

Only the application's own modules are rewritten, never the standard library or
site-packages. The rewrite keeps behaviour: every replacement computes exactly what the
original expression did, evaluating the same sub-expressions once each, in the same
order (a method is looked up before its arguments are evaluated, as Python does).

| written                          | becomes                                            |
|----------------------------------|----------------------------------------------------|
| `a + b`, `a % b`                 | `ops.add(a, b)`, `ops.mod(a, b)` (not `i + 1`, nor two literals) |
| `x += b`, `x %= b`               | `x = ops.iadd(x, b)` (also `o.attr`, `d[k]` with a simple `o`, `d`, `k`) |
| `s[i:j:k]`                       | `ops.slice_of(s, i, j, k)`                         |
| `f"{v!r:spec}"`                  | `ops.join_parts([ops.format_value(v, 114, spec)])` |
| `o.join(xs)`                     | `ops.join(o.join, xs)`                             |
| `o.name(...)`, name in METHODS   | `ops.method(o.name, "name", ...)` (`method0`..`method2`: fixed arity) |
| `str(...)`, `repr`, `bytes`, `format`, `StringIO` | `ops.call(str, "str", ...)`       |
| `x in c`, `x not in c`           | `ops.isin(x, c)`, `not ops.isin(x, c)` (note 1)     |
| `os.path.commonpath(ps) == base` | `ops.commonpath_is(os.path.commonpath, ps, base, True)` |

Note 1: when `c` is a name, an attribute or a literal collection (an allow-list), or
`x` a literal string (`".." in path`); other membership tests stay as they are.

A builtin is rewritten only when the module never binds its name; `ops.call` checks at
run time that the callable is still the builtin anyway.
"""

from __future__ import annotations

import ast
import copy
from types import CodeType
from typing import List, Optional, Set

from moat_iast._ops import CALLS, METHODS

OPS = "__moat_iast_ops__"

_BUILTINS = CALLS - {"StringIO"}


def _op(name: str, node: ast.AST) -> ast.Attribute:
    return ast.copy_location(ast.Attribute(value=ast.Name(id=OPS, ctx=ast.Load()), attr=name, ctx=ast.Load()), node)


def _call(name: str, node: ast.AST, args: List[ast.expr], keywords: Optional[List[ast.keyword]] = None) -> ast.Call:
    return ast.copy_location(ast.Call(func=_op(name, node), args=args, keywords=keywords or []), node)


def _bound_names(tree: ast.AST) -> Set[str]:
    """Every name the module binds anywhere: assignments, definitions, parameters,
    imports, loop and `with` targets."""
    names: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def _loaded(target: ast.expr) -> Optional[ast.expr]:
    """`target` read back, when reading it again has no effect of its own: a name, an
    attribute of a name, or a name indexed by a name or constant."""
    if isinstance(target, ast.Name):
        return ast.copy_location(ast.Name(id=target.id, ctx=ast.Load()), target)
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
        value = ast.copy_location(ast.Name(id=target.value.id, ctx=ast.Load()), target.value)
        return ast.copy_location(ast.Attribute(value=value, attr=target.attr, ctx=ast.Load()), target)
    if (
        isinstance(target, ast.Subscript)
        and isinstance(target.value, ast.Name)
        and isinstance(target.slice, (ast.Name, ast.Constant))
    ):
        value = ast.copy_location(ast.Name(id=target.value.id, ctx=ast.Load()), target.value)
        return ast.copy_location(ast.Subscript(value=value, slice=copy.deepcopy(target.slice), ctx=ast.Load()), target)
    return None


def _allow_list(node: ast.expr) -> bool:
    """A right operand of `in` worth checking: a name or attribute (a module constant
    such as `ALLOWED`), or a literal collection of constants."""
    if isinstance(node, (ast.Name, ast.Attribute)):
        return True
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        return all(isinstance(e, ast.Constant) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(isinstance(k, ast.Constant) for k in node.keys)
    return False


def _number(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float, complex, bool)


def _untaintable(op: ast.operator, left: ast.expr, right: ast.expr) -> bool:
    """Operands that can never make text holding request data: a number added (`i + 1`,
    `n += 1`), a number formatted with a number (`7 % 3`), two literals (which the
    compiler folds)."""
    if isinstance(left, ast.Constant) and isinstance(right, ast.Constant):
        return True
    if isinstance(op, ast.Add):
        return _number(left) or _number(right)
    return _number(left)


def _simple(node: ast.expr) -> bool:
    """Evaluating it earlier than Python would cannot be told apart."""
    if isinstance(node, (ast.Name, ast.Constant)):
        return True
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)


def _commonpath(node: ast.expr) -> bool:
    if not isinstance(node, ast.Call) or len(node.args) != 1 or node.keywords:
        return False
    if isinstance(node.args[0], ast.Starred):
        return False
    func = node.func
    return (isinstance(func, ast.Attribute) and func.attr == "commonpath") or (
        isinstance(func, ast.Name) and func.id == "commonpath"
    )


class _Rewriter(ast.NodeTransformer):
    def __init__(self, bound: Set[str]) -> None:
        self._builtins = _BUILTINS - bound

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        name = {ast.Add: "add", ast.Mod: "mod"}.get(type(node.op))
        if name is not None and not _untaintable(node.op, node.left, node.right):
            return _call(name, node, [node.left, node.right])
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        name = {ast.Add: "iadd", ast.Mod: "imod"}.get(type(node.op))
        if name is not None and _untaintable(node.op, node.target, node.value):
            return node
        current = _loaded(node.target) if name is not None else None
        if current is None:
            return node
        value = _call(name, node, [current, node.value])
        return ast.copy_location(ast.Assign(targets=[node.target], value=value), node)

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Load) and isinstance(node.slice, ast.Slice):
            none = ast.Constant(value=None)
            parts = (node.slice.lower, node.slice.upper, node.slice.step)
            bounds = [part if part is not None else none for part in parts]
            return _call("slice_of", node, [node.value, *bounds])
        return node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        self.generic_visit(node)
        if not any(isinstance(value, ast.FormattedValue) for value in node.values):
            return node
        parts: List[ast.expr] = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                spec: ast.expr = value.format_spec if value.format_spec is not None else ast.Constant(value="")
                parts.append(_call("format_value", value, [value.value, ast.Constant(value=value.conversion), spec]))
            else:
                parts.append(value)
        return _call("join_parts", node, [ast.List(elts=parts, ctx=ast.Load())])

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        self.generic_visit(node)
        if len(node.ops) != 1:
            return node
        op, left, right = node.ops[0], node.left, node.comparators[0]
        if isinstance(op, (ast.In, ast.NotIn)):
            literal = isinstance(left, ast.Constant) and isinstance(left.value, (str, bytes))
            if not (literal or _allow_list(right)):
                return node
            check = _call("isin", node, [left, right])
            if isinstance(op, ast.NotIn):
                return ast.copy_location(ast.UnaryOp(op=ast.Not(), operand=check), node)
            return check
        if isinstance(op, (ast.Eq, ast.NotEq)):
            equal = ast.Constant(value=isinstance(op, ast.Eq))
            if _commonpath(left) and _simple(right):
                return _call("commonpath_is", node, [left.func, left.args[0], right, equal])
            if _commonpath(right) and _simple(left):
                return _call("commonpath_is_reversed", node, [left, right.func, right.args[0], equal])
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Name):
            if func.id in self._builtins or func.id == "StringIO":
                return _call("call", node, [func, ast.Constant(value=func.id), *node.args], node.keywords)
            return node
        if not isinstance(func, ast.Attribute):
            return node
        one = len(node.args) == 1 and not node.keywords and not isinstance(node.args[0], ast.Starred)
        if func.attr == "join" and one:
            return _call("join", node, [func, node.args[0]])
        if func.attr in METHODS:
            name = ast.Constant(value=func.attr)
            plain = not node.keywords and len(node.args) <= 2 and not any(isinstance(a, ast.Starred) for a in node.args)
            if plain:
                return _call(f"method{len(node.args)}", node, [func, name, *node.args])
            return _call("method", node, [func, name, *node.args], node.keywords)
        if func.attr == "StringIO":
            return _call("call", node, [func, ast.Constant(value="StringIO"), *node.args], node.keywords)
        return node


def rewrite(source: str, filename: str) -> CodeType:
    """Compiles `source` with string operations routed through the agent."""
    tree = ast.parse(source, filename)
    tree = _Rewriter(_bound_names(tree)).visit(tree)
    ast.fix_missing_locations(tree)
    return compile(tree, filename, "exec", dont_inherit=True)
