import json
import marshal
from marshal import load


def decode(blob):
    # ruleid: python.deserialization.marshal-load
    return marshal.loads(blob)


def read(handle):
    # ruleid: python.deserialization.marshal-load
    return load(handle)


def encode(obj):
    # ok: python.deserialization.marshal-load
    return marshal.dumps(obj)


def decode_json(blob):
    # ok: python.deserialization.marshal-load
    return json.loads(blob)
