import asyncio


async def transcode(src, dst):
    # ruleid: python.lang.asyncio-shell-injection
    proc = await asyncio.create_subprocess_shell(f"ffmpeg -i {src} {dst}")
    await proc.wait()


async def run_with_loop(loop, protocol_factory, cmd):
    # ruleid: python.lang.asyncio-shell-injection
    transport, protocol = await loop.subprocess_shell(protocol_factory, cmd)
    return transport


async def date():
    # ok: python.lang.asyncio-shell-injection
    proc = await asyncio.create_subprocess_shell("date")
    await proc.wait()


async def transcode_safe(src, dst):
    # ok: python.lang.asyncio-shell-injection
    proc = await asyncio.create_subprocess_exec("ffmpeg", "-i", src, dst)
    await proc.wait()
