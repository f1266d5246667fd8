"""Rewrites an application module's AST so string building goes through `_ops`.

Only the application's own modules are rewritten, never the standard library or
site-packages. The rewrite keeps behaviour: every replacement computes exactly what
the original expression did.
"""

from __future__ import annotations

import ast
from types import CodeType

from moat_iast._ops import METHODS

OPS = "__moat_iast_ops__"


def _op(name: str, node: ast.AST) -> ast.Attribute:
    return ast.copy_location(ast.Attribute(value=ast.Name(id=OPS, ctx=ast.Load()), attr=name, ctx=ast.Load()), node)


class _Rewriter(ast.NodeTransformer):
    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        name = {ast.Add: "add", ast.Mod: "mod"}.get(type(node.op))
        if name is not None:
            return ast.copy_location(ast.Call(func=_op(name, node), args=[node.left, node.right], keywords=[]), node)
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Load) and isinstance(node.slice, ast.Slice):
            none = ast.Constant(value=None)
            bounds = [part if part is not None else none for part in (node.slice.lower, node.slice.upper, node.slice.step)]
            return ast.copy_location(ast.Call(func=_op("slice_of", node), args=[node.value, *bounds], keywords=[]), node)
        return node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        self.generic_visit(node)
        parts: list[ast.expr] = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                spec: ast.expr = value.format_spec if value.format_spec is not None else ast.Constant(value="")
                parts.append(
                    ast.copy_location(
                        ast.Call(
                            func=_op("format_value", value),
                            args=[value.value, ast.Constant(value=value.conversion), spec],
                            keywords=[],
                        ),
                        value,
                    )
                )
            else:
                parts.append(value)
        return ast.copy_location(
            ast.Call(func=_op("join_parts", node), args=[ast.List(elts=parts, ctx=ast.Load())], keywords=[]), node
        )

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if not isinstance(func, ast.Attribute):
            return node
        if func.attr == "join" and len(node.args) == 1 and not node.keywords:
            return ast.copy_location(ast.Call(func=_op("join", node), args=[func.value, node.args[0]], keywords=[]), node)
        plain = not any(isinstance(a, ast.Starred) for a in node.args) and all(k.arg for k in node.keywords)
        if func.attr in METHODS and plain:
            args = ast.List(elts=list(node.args), ctx=ast.Load())
            kwargs = ast.Dict(keys=[ast.Constant(value=k.arg) for k in node.keywords], values=[k.value for k in node.keywords])
            return ast.copy_location(
                ast.Call(func=_op("method", node), args=[func.value, ast.Constant(value=func.attr), args, kwargs], keywords=[]),
                node,
            )
        return node


def rewrite(source: str, filename: str) -> CodeType:
    """Compiles `source` with string operations routed through the agent."""
    tree = ast.parse(source, filename)
    tree = _Rewriter().visit(tree)
    ast.fix_missing_locations(tree)
    return compile(tree, filename, "exec")
