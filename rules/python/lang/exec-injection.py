def run_snippet(snippet):
    # ruleid: python.lang.exec-injection
    exec(snippet)


def define_attribute(name, value, namespace):
    # ruleid: python.lang.exec-injection
    exec(f"{name} = {value!r}", namespace)


def load_plugin(path):
    with open(path) as handle:
        # ruleid: python.lang.exec-injection
        exec(handle.read(), {})


def fixed_snippet(namespace):
    # ok: python.lang.exec-injection
    exec("import math", namespace)


def run_query(cursor, sql, params):
    # ok: python.lang.exec-injection
    cursor.exec(sql, params)


ACTIONS = {"start": print, "stop": print}


def dispatch(name):
    # ok: python.lang.exec-injection
    ACTIONS[name]("dispatching")
