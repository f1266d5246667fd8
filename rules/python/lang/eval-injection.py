import ast
import json


def calculate(request):
    expression = request.args.get("expr")
    # ruleid: python.lang.eval-injection
    result = eval(expression)
    return result


def render_field(obj, field):
    # ruleid: python.lang.eval-injection
    return eval(f"obj.{field}", {"obj": obj})


def evaluate_with_scope(code, scope):
    # ruleid: python.lang.eval-injection
    return eval(code, scope, {})


def constant():
    # ok: python.lang.eval-injection
    return eval("1 + 2")


def parse_literal(text):
    # ok: python.lang.eval-injection
    return ast.literal_eval(text)


def query_frame(df, column):
    # ok: python.lang.eval-injection
    return df.eval(column)


def parse_json(text):
    # ok: python.lang.eval-injection
    return json.loads(text)
