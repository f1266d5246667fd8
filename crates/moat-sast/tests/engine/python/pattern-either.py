import hashlib
import json
import pickle

import yaml


def fingerprint(data):
    # ruleid: pattern-either-weak-hash
    md5 = hashlib.md5(data).hexdigest()
    # ruleid: pattern-either-weak-hash
    sha1 = hashlib.sha1(data).hexdigest()
    # ok: pattern-either-weak-hash
    sha256 = hashlib.sha256(data).hexdigest()
    # ok: pattern-either-weak-hash
    blake = hashlib.blake2b(data).hexdigest()
    return md5, sha1, sha256, blake


def load_payload(blob, text):
    # ruleid: pattern-either-unsafe-deserialization
    first = pickle.loads(blob)
    # ruleid: pattern-either-unsafe-deserialization
    second = yaml.load(text)
    # ok: pattern-either-unsafe-deserialization
    third = yaml.load(text, Loader=yaml.SafeLoader)
    # ok: pattern-either-unsafe-deserialization
    fourth = json.loads(text)
    # ok: pattern-either-unsafe-deserialization
    fifth = pickle.dumps(first)
    return first, second, third, fourth, fifth
