import torch
from safetensors.torch import load_file


def load_model(path):
    # ruleid: python.deserialization.torch-load-without-weights-only
    return torch.load(path, map_location="cpu")


def load_unsafe(path):
    # ruleid: python.deserialization.torch-load-without-weights-only
    return torch.load(path, weights_only=False)


def load_weights(path):
    # ok: python.deserialization.torch-load-without-weights-only
    return torch.load(path, map_location="cpu", weights_only=True)


def load_safetensors(path):
    # ok: python.deserialization.torch-load-without-weights-only
    return load_file(path)
