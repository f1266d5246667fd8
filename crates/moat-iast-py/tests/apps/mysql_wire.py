"""A MySQL server for the demos, as far as PyMySQL needs one: the handshake (any
password is accepted) and text queries, answered by a fresh in-memory SQLite database
per connection. The server says it does not treat backslashes as escapes, so drivers
quote with doubled quotes, as SQLite reads them."""

import socketserver
import sqlite3
import struct
import threading

PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH = 0x200, 0x8000, 0x80000
CAPABILITIES = 0x1 | 0x8 | PROTOCOL_41 | 0x2000 | SECURE_CONNECTION | PLUGIN_AUTH
AUTOCOMMIT, NO_BACKSLASH_ESCAPES = 0x2, 0x200
UTF8MB4 = 45
# Column types: LONGLONG, DOUBLE, VAR_STRING.
TYPES = {int: 0x08, float: 0x05}
STRING = 0xFD


def lenenc(value: int) -> bytes:
    if value < 251:
        return bytes([value])
    if value < 1 << 16:
        return b"\xfc" + struct.pack("<H", value)
    return b"\xfe" + struct.pack("<Q", value)


def text(value: str) -> bytes:
    data = value.encode()
    return lenenc(len(data)) + data


class Session(socketserver.BaseRequestHandler):
    """One client connection: greeting, authentication, then commands until it quits."""

    seed = ()

    def read(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.request.recv(size - len(data))
            if not chunk:
                raise ConnectionError("client went away")
            data += chunk
        return data

    def receive(self) -> bytes:
        header = self.read(4)
        self.sequence = header[3] + 1
        return self.read(int.from_bytes(header[:3], "little"))

    def send(self, *packets: bytes) -> None:
        data = b""
        for packet in packets:
            data += len(packet).to_bytes(3, "little") + bytes([self.sequence % 256]) + packet
            self.sequence += 1
        self.request.sendall(data)

    def ok(self) -> bytes:
        return b"\x00" + lenenc(0) + lenenc(0) + struct.pack("<HH", self.status, 0)

    def eof(self) -> bytes:
        return b"\xfe" + struct.pack("<HH", 0, self.status)

    def handle(self) -> None:
        self.sequence = 0
        self.status = AUTOCOMMIT | NO_BACKSLASH_ESCAPES
        salt = b"moat-demo-salt-12345"
        greeting = (b"\x0a" + b"8.0.0-moat-demo\0" + struct.pack("<I", 1) + salt[:8] + b"\0"
                    + struct.pack("<HBHH", CAPABILITIES & 0xFFFF, UTF8MB4, self.status, CAPABILITIES >> 16)
                    + bytes([len(salt) + 1]) + b"\0" * 10 + salt[8:] + b"\0" + b"mysql_native_password\0")
        try:
            self.send(greeting)
            self.receive()  # user, password and database: anyone may connect
            self.send(self.ok())
            db = sqlite3.connect(":memory:")
            for statement in self.seed:
                db.execute(statement)
            while True:
                packet = self.receive()
                command, body = packet[:1], packet[1:]
                if command == b"\x01":  # COM_QUIT
                    return
                if command == b"\x03":  # COM_QUERY
                    self.send(*self.query(db, body.decode()))
                else:  # COM_PING, COM_INIT_DB and the rest: nothing to do
                    self.send(self.ok())
        except ConnectionError:
            pass

    def query(self, db: sqlite3.Connection, sql: str) -> list:
        words = sql.strip().split(None, 1)
        if not words or words[0].upper() in ("SET", "BEGIN", "START", "COMMIT", "ROLLBACK", "USE"):
            return [self.ok()]
        try:
            cursor = db.execute(sql)
            rows = cursor.fetchall()
        except sqlite3.Error as error:
            return [b"\xff" + struct.pack("<H", 1064) + b"#42000" + str(error).encode()]
        if cursor.description is None:
            return [self.ok()]
        first = rows[0] if rows else [None] * len(cursor.description)
        packets = [lenenc(len(cursor.description))]
        for column, value in zip(cursor.description, first):
            kind = TYPES.get(type(value), STRING)
            packets.append(text("def") + text("demo") + text("t") + text("t") + text(column[0]) + text(column[0])
                           + b"\x0c" + struct.pack("<HIBHB", UTF8MB4, 255, kind, 0, 0) + b"\0\0")
        packets.append(self.eof())
        for row in rows:
            packets.append(b"".join(b"\xfb" if value is None else text(str(value)) for value in row))
        packets.append(self.eof())
        return packets


def serve(seed: tuple) -> int:
    """Starts the server in a daemon thread; returns its port on 127.0.0.1. Each
    connection's database first runs the `seed` statements."""
    handler = type("SeededSession", (Session,), {"seed": tuple(seed)})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="mysql-wire", daemon=True).start()
    return server.server_address[1]
