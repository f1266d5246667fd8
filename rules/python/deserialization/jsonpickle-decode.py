import json

import jsonpickle
from jsonpickle import decode


def restore(request):
    # ruleid: python.deserialization.jsonpickle-decode
    return jsonpickle.decode(request.data)


def restore_alias(body):
    # ruleid: python.deserialization.jsonpickle-decode
    return decode(body, keys=True)


def restore_loads(body):
    # ruleid: python.deserialization.jsonpickle-decode
    return jsonpickle.loads(body)


def save(obj):
    # ok: python.deserialization.jsonpickle-decode
    return jsonpickle.encode(obj)


def restore_plain(body):
    # ok: python.deserialization.jsonpickle-decode
    return json.loads(body)
