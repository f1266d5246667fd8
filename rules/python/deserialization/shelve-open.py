import dbm
import json
import shelve


def load_session(path, key):
    # ruleid: python.deserialization.shelve-open
    with shelve.open(path) as db:
        return db[key]


def open_cache(filename):
    # ruleid: python.deserialization.shelve-open
    return shelve.DbfilenameShelf(filename, flag="r")


def load_plain(path, key):
    # ok: python.deserialization.shelve-open
    with dbm.open(path, "r") as db:
        return json.loads(db[key])


def load_text(path):
    # ok: python.deserialization.shelve-open
    with open(path) as handle:
        return handle.read()
