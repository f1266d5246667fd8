from flask import Flask, request
from flask_login import login_required

app = Flask(__name__)


@app.route("/calc")
def calc():
    expression = request.args.get("q", "")
    # ruleid: pattern-inside-route-eval
    return str(eval(expression))


@app.route("/nested", methods=["POST"])
def nested():
    def evaluate(value):
        # ruleid: pattern-inside-route-eval
        return eval(value)

    return str(evaluate(request.form["v"]))


@app.route("/admin/calc")
@login_required
def admin_calc():
    # ruleid: pattern-inside-route-eval
    return str(eval(request.args["q"]))


def offline_calc(expression):
    # ok: pattern-inside-route-eval
    return eval(expression)


@app.errorhandler(500)
def on_error(error):
    # ok: pattern-inside-route-eval
    return eval(repr(error))


# ok: pattern-inside-route-eval
RESULT = eval("1 + 1")


def load_users(cursor, user_ids):
    for user_id in user_ids:
        # ruleid: pattern-inside-query-in-loop
        cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))
        if user_id < 0:
            # ruleid: pattern-inside-query-in-loop
            cursor.execute("DELETE FROM users WHERE id = %s", (user_id,))
    # ok: pattern-inside-query-in-loop
    cursor.execute("SELECT count(*) FROM users")


def load_all(cursor):
    # ok: pattern-inside-query-in-loop
    cursor.execute("SELECT * FROM users")
    return cursor.fetchall()
