import sqlite3


def find_user(cursor, user_id):
    # ruleid: python.sql.formatted-sql-query-execute
    cursor.execute("SELECT * FROM users WHERE id = %s" % user_id)
    return cursor.fetchone()


def find_by_name(conn, name):
    cur = conn.cursor()
    # ruleid: python.sql.formatted-sql-query-execute
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    return cur.fetchall()


def find_by_email(cursor, email):
    # ruleid: python.sql.formatted-sql-query-execute
    cursor.execute("SELECT * FROM users WHERE email = '{}'".format(email))


def delete(conn, table, row_id):
    # ruleid: python.sql.formatted-sql-query-execute
    conn.execute("DELETE FROM " + table + " WHERE id = ?", (row_id,))


def search(cursor, term):
    query = "SELECT * FROM items WHERE title LIKE '%" + term + "%'"
    # ruleid: python.sql.formatted-sql-query-execute
    cursor.execute(query)
    return cursor.fetchall()


def find_user_safe(cursor, user_id):
    # ok: python.sql.formatted-sql-query-execute
    cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))


def find_by_name_safe(name):
    conn = sqlite3.connect("app.db")
    # ok: python.sql.formatted-sql-query-execute
    return conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchall()


def count(cursor):
    # ok: python.sql.formatted-sql-query-execute
    cursor.execute("SELECT count(*) " "FROM users")


def search_safe(cursor, term):
    query = "SELECT * FROM items WHERE title LIKE %s"
    # ok: python.sql.formatted-sql-query-execute
    cursor.execute(query, ("%" + term + "%",))
