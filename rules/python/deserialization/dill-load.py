import dill
import json


def receive(sock):
    # ruleid: python.deserialization.dill-load
    return dill.loads(sock.recv(65536))


def restore(path):
    with open(path, "rb") as handle:
        # ruleid: python.deserialization.dill-load
        return dill.load(handle)


def send(obj):
    # ok: python.deserialization.dill-load
    return dill.dumps(obj)


def receive_json(sock):
    # ok: python.deserialization.dill-load
    return json.loads(sock.recv(65536))
