from flask import request


def search(cursor, request_args, limit):
    # ruleid: deep-expression-request-in-query
    cursor.execute("SELECT * FROM items WHERE id = " + request.args["id"])
    # ruleid: deep-expression-request-in-query
    cursor.execute("SELECT * FROM items WHERE name = '{}'".format(request.args.get("q")))
    # ruleid: deep-expression-request-in-query
    cursor.execute(request.args["raw_sql"])
    # ruleid: deep-expression-request-in-query
    cursor.execute(
        "SELECT * FROM items LIMIT "
        + str(min(int(request.args.get("limit", 10)), limit))
    )
    # ok: deep-expression-request-in-query
    cursor.execute("SELECT * FROM items")
    # ok: deep-expression-request-in-query
    cursor.execute("SELECT * FROM items WHERE id = " + request_args["id"])
    # ok: deep-expression-request-in-query
    cursor.execute("SELECT * FROM items WHERE id = " + request.form["id"])


def calculator(expression):
    # ruleid: deep-expression-input-in-eval
    first = eval(input())
    # ruleid: deep-expression-input-in-eval
    second = eval("2 * " + input().strip())
    # ok: deep-expression-input-in-eval
    third = eval(expression)
    # ok: deep-expression-input-in-eval
    fourth = eval(input)
    return first, second, third, fourth
