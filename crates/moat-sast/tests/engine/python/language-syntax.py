import asyncio
import functools
import os
import pickle
from dataclasses import dataclass
from typing import Any


def dispatch(command: dict[str, Any]) -> object:
    match command:
        case {"action": "run", "code": str(code)}:
            # ruleid: language-syntax-eval
            return eval(code)
        case {"action": "echo", "text": text}:
            # ok: language-syntax-eval
            return text
        case [first, *rest] if first == "sum":
            # ok: language-syntax-eval
            return sum(rest)
        case _:
            return None


def loaders(blobs: list[bytes], default: bytes | None = None) -> list[object]:
    # ruleid: language-syntax-pickle-loads
    if (obj := pickle.loads(blobs[0])) is not None:
        blobs = blobs[1:]
    # ok: language-syntax-pickle-loads
    if (size := len(blobs)) > 10:
        blobs = blobs[:size]
    # ruleid: language-syntax-pickle-loads
    return [pickle.loads(blob) for blob in blobs if blob] + [obj, default]


def handlers(sources: list[str]) -> dict[str, object]:
    # ruleid: language-syntax-eval
    compute = lambda source: eval(source)
    # ruleid: language-syntax-eval
    results = {source: eval(source) for source in sources}
    # ok: language-syntax-eval
    lengths = {source: len(source) for source in sources}
    return {"compute": compute, "results": results, "lengths": lengths}


def report(row: dict[str, str]) -> str:
    # ruleid: language-syntax-eval
    line = f"{row["name"]}: {eval(row["expr"])}"
    # ok: language-syntax-eval
    label = f"{row["name"]!r:>20} evaluated"
    return line + label


async def run_job(script: str, args: list[str]) -> int:
    # ruleid: language-syntax-await-shell
    proc = await asyncio.create_subprocess_shell(script)
    # ok: language-syntax-await-shell
    other = await asyncio.create_subprocess_exec("ls", *args)
    async with asyncio.timeout(10):
        # ruleid: language-syntax-eval
        result = eval(await proc.stdout.read())
    await other.wait()
    return result


@dataclass(frozen=True)
class Job:
    name: str
    payload: bytes

    def decode(self) -> object:
        # ruleid: language-syntax-pickle-loads
        return pickle.loads(self.payload)


@functools.cache
def cached_listing(directory: str) -> str:
    # ruleid: language-syntax-cached-shell
    return os.popen(f"ls {directory}").read()


@functools.lru_cache(maxsize=32)
def lru_listing(directory: str) -> str:
    # ok: language-syntax-cached-shell
    return os.popen(f"ls {directory}").read()
