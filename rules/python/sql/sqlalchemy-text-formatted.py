import sqlalchemy
from sqlalchemy import text


def find(session, name):
    # ruleid: python.sql.sqlalchemy-text-formatted
    return session.execute(text(f"SELECT * FROM users WHERE name = '{name}'")).all()


def order(session, column):
    # ruleid: python.sql.sqlalchemy-text-formatted
    return session.execute(sqlalchemy.text("SELECT * FROM users ORDER BY %s" % column)).all()


def find_safe(session, name):
    # ok: python.sql.sqlalchemy-text-formatted
    return session.execute(text("SELECT * FROM users WHERE name = :name"), {"name": name}).all()


def count(session):
    # ok: python.sql.sqlalchemy-text-formatted
    return session.execute(text("SELECT count(*) FROM users")).scalar()
