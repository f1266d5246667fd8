"""The overhead benchmark's service: one realistic Flask endpoint that reads request
parameters, builds strings, runs a parameterised SQLite query and renders a template.
Every request carries tainted data through every step, so the agent has real work."""

import os
import sqlite3
import threading

from flask import Flask, render_template, request

app = Flask(__name__)
DB = os.environ.get("BENCH_DB", "/tmp/moat-iast-bench.sqlite3")
_local = threading.local()


def db():
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(DB)
        _local.conn = conn
    return conn


def setup():
    conn = sqlite3.connect(DB)
    conn.execute("DROP TABLE IF EXISTS products")
    conn.execute("CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, category TEXT, price REAL)")
    rows = [(i, f"product {i}", ("books", "games", "tools")[i % 3], i * 1.25) for i in range(1, 2001)]
    conn.executemany("INSERT INTO products VALUES (?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()


@app.route("/products")
def products():
    category = request.args.get("category", "books")
    search = request.args.get("q", "").strip().lower()
    sort = request.args.get("sort", "price")
    title = f"{category.title()} matching '{search}'" if search else category.title() + " catalogue"
    order = "price" if sort == "price" else "name"
    query = "SELECT id, name, price FROM products WHERE category = ? AND name LIKE ? ORDER BY " + order + " LIMIT 20"
    rows = db().execute(query, (category, "%" + search + "%")).fetchall()
    items = [{"id": r[0], "name": r[1].upper(), "price": "%.2f" % r[2]} for r in rows]
    crumbs = " / ".join(["home", "shop", category])
    return render_template("products.html", title=title, items=items, crumbs=crumbs)


setup()
