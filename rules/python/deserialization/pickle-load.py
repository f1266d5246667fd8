import json
import pickle
import pickle as pkl
from pickle import loads

import pandas as pd


def restore(request):
    # ruleid: python.deserialization.pickle-load
    return pickle.loads(request.body)


def read_cache(path):
    with open(path, "rb") as handle:
        # ruleid: python.deserialization.pickle-load
        return pkl.load(handle)


def from_queue(message):
    # ruleid: python.deserialization.pickle-load
    return loads(message.data)


def frame(path):
    # ruleid: python.deserialization.pickle-load
    return pd.read_pickle(path)


def save(obj):
    # ok: python.deserialization.pickle-load
    return pickle.dumps(obj)


def restore_json(request):
    # ok: python.deserialization.pickle-load
    return json.loads(request.body)


def frame_csv(path):
    # ok: python.deserialization.pickle-load
    return pd.read_csv(path)
