import ast

import yaml


def calculate(expression):
    # ruleid: pattern-eval-call
    result = eval(expression)
    return result


def calculate_sandboxed(expression):
    # ruleid: pattern-eval-call
    return eval(expression, {"__builtins__": {}}, {})


def calculate_multiline(expression):
    # ruleid: pattern-eval-call
    value = eval(
        expression
    )
    return value


def calculate_safely(expression):
    # ok: pattern-eval-call
    return ast.literal_eval(expression)


def switch_to_inference(model):
    # ok: pattern-eval-call
    model.eval()


def evaluate_all(expressions):
    # ok: pattern-eval-call
    return evaluate(expressions)


def read_config(stream):
    # ruleid: pattern-yaml-load-one-arg
    return yaml.load(stream)


def read_config_safely(stream):
    # ok: pattern-yaml-load-one-arg
    return yaml.load(stream, Loader=yaml.SafeLoader)


def read_config_with_safe_load(stream):
    # ok: pattern-yaml-load-one-arg
    return yaml.safe_load(stream)


# ruleid: pattern-debug-assignment
DEBUG = True

# ok: pattern-debug-assignment
DEBUG = False

# ok: pattern-debug-assignment
TEMPLATE_DEBUG = True
