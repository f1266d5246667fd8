import yaml


def read_manifests(stream):
    # ruleid: python.deserialization.yaml-unsafe-load-all
    return list(yaml.load_all(stream, Loader=yaml.FullLoader))


def read_documents(stream):
    # ruleid: python.deserialization.yaml-unsafe-load-all
    for doc in yaml.unsafe_load_all(stream):
        print(doc)


def read_manifests_safe(stream):
    # ok: python.deserialization.yaml-unsafe-load-all
    return list(yaml.safe_load_all(stream))


def read_documents_safe(stream):
    # ok: python.deserialization.yaml-unsafe-load-all
    return list(yaml.load_all(stream, Loader=yaml.SafeLoader))
