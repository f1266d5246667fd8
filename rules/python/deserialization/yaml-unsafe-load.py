import ruamel.yaml
import yaml
from yaml import SafeLoader


def read_config(path):
    with open(path) as handle:
        # ruleid: python.deserialization.yaml-unsafe-load
        return yaml.load(handle, Loader=yaml.Loader)


def parse_request(body):
    # ruleid: python.deserialization.yaml-unsafe-load
    return yaml.load(body, yaml.UnsafeLoader)


def parse_legacy(body):
    # ruleid: python.deserialization.yaml-unsafe-load
    return yaml.load(body)


def parse_full(body):
    # ruleid: python.deserialization.yaml-unsafe-load
    return yaml.unsafe_load(body)


def read_config_safe(path):
    with open(path) as handle:
        # ok: python.deserialization.yaml-unsafe-load
        return yaml.safe_load(handle)


def parse_safe_loader(body):
    # ok: python.deserialization.yaml-unsafe-load
    return yaml.load(body, Loader=yaml.SafeLoader)


def parse_imported_safe_loader(body):
    # ok: python.deserialization.yaml-unsafe-load
    return yaml.load(body, Loader=SafeLoader)


def parse_c_safe(body):
    # ok: python.deserialization.yaml-unsafe-load
    return yaml.load(body, yaml.CSafeLoader)


def parse_with_ruamel(path):
    yaml = ruamel.yaml.YAML(typ="safe")
    with open(path) as handle:
        # ok: python.deserialization.yaml-unsafe-load
        return yaml.load(handle)
