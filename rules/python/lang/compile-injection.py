import ast
import re


def build(request):
    source = request.form["code"]
    # ruleid: python.lang.compile-injection
    code = compile(source, "<user>", "exec")
    return code


def build_expression(expr):
    # ruleid: python.lang.compile-injection
    return compile(f"result = {expr}", "<expr>", mode="exec")


def build_constant():
    # ok: python.lang.compile-injection
    return compile("x = 1", "<const>", "exec")


def build_regex(pattern):
    # ok: python.lang.compile-injection
    return re.compile(pattern)


def inspect(source):
    # ok: python.lang.compile-injection
    return ast.parse(source)
