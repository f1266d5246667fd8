"""Serves the demo's ASGI application (asgi.py) over HTTP/1.1 on 127.0.0.1, one request
per connection: a small stand-in for an ASGI server, so the demo runs the same views
through Django's ASGI handler. Usage: `python serve_asgi.py PORT`."""

import asyncio
import os
import sys
from urllib.parse import unquote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


async def serve(app, reader, writer):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        writer.close()
        return
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = []
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers.append((name.strip().lower().encode("latin-1"), value.strip().encode("latin-1")))
    length = int(dict(headers).get(b"content-length", b"0") or 0)
    body = await reader.readexactly(length) if length else b""
    raw_path, _, query = target.partition("?")
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": unquote(raw_path, "latin-1"), "raw_path": raw_path.encode("latin-1"),
        "query_string": query.encode("latin-1"), "root_path": "", "headers": headers,
        "client": writer.get_extra_info("peername")[:2], "server": ("127.0.0.1", int(sys.argv[1])),
    }
    received = False

    async def receive():
        nonlocal received
        if received:
            await asyncio.Event().wait()  # the client stays connected until the response
        received = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            writer.write(f"HTTP/1.1 {message['status']} -\r\n".encode())
            for name, value in message.get("headers", []):
                writer.write(name + b": " + value + b"\r\n")
            writer.write(b"Connection: close\r\n\r\n")
        elif message["type"] == "http.response.body":
            writer.write(message.get("body", b""))
            if not message.get("more_body"):
                await writer.drain()
                writer.close()

    await app(scope, receive, send)


async def main(application):
    server = await asyncio.start_server(lambda r, w: serve(application, r, w), "127.0.0.1", int(sys.argv[1]))
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
    from manage import prepare_database

    prepare_database()  # before the event loop: Django's database calls are synchronous
    from asgi import application

    asyncio.run(main(application))
