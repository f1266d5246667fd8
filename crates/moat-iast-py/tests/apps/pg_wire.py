"""A PostgreSQL server for the demos, as far as psycopg2 needs one: the wire protocol's
startup and simple queries, answered by a fresh in-memory SQLite database per
connection. Real drivers connect to it and really run their statements, with no
PostgreSQL installed."""

import socketserver
import sqlite3
import struct
import threading

PARAMETERS = {
    "server_version": "14.0",
    "server_encoding": "UTF8",
    "client_encoding": "UTF8",
    "DateStyle": "ISO, MDY",
    "integer_datetimes": "on",
    "standard_conforming_strings": "on",
    "TimeZone": "UTC",
}
SSL_REQUEST, GSSENC_REQUEST, PROTOCOL_3 = 80877103, 80877104, 196608
# Type OIDs: int8, float8, text.
TYPES = {int: 20, float: 701}
TEXT = 25


def message(kind: bytes, payload: bytes = b"") -> bytes:
    return kind + struct.pack("!i", len(payload) + 4) + payload


def cstring(text: str) -> bytes:
    return text.encode() + b"\0"


class Session(socketserver.BaseRequestHandler):
    """One client connection: startup, then queries until it terminates."""

    seed = ()

    def read(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.request.recv(size - len(data))
            if not chunk:
                raise ConnectionError("client went away")
            data += chunk
        return data

    def handle(self) -> None:
        try:
            if not self.startup():
                return
            db = sqlite3.connect(":memory:")
            for statement in self.seed:
                db.execute(statement)
            transaction = b"I"
            while True:
                kind = self.read(1)
                body = self.read(struct.unpack("!i", self.read(4))[0] - 4)
                if kind == b"X":
                    return
                if kind != b"Q":
                    self.request.sendall(self.error("0A000", "only simple queries are served here") + message(b"Z", transaction))
                    continue
                reply, transaction = self.query(db, body.rstrip(b"\0").decode(), transaction)
                self.request.sendall(reply + message(b"Z", transaction))
        except ConnectionError:
            pass

    def startup(self) -> bool:
        while True:
            length, code = struct.unpack("!ii", self.read(8))
            # User, database and options follow: anyone may connect, so they are skipped.
            self.read(length - 8)
            if code in (SSL_REQUEST, GSSENC_REQUEST):
                self.request.sendall(b"N")
                continue
            if code != PROTOCOL_3:
                return False
            reply = message(b"R", struct.pack("!i", 0))
            for name, value in PARAMETERS.items():
                reply += message(b"S", cstring(name) + cstring(value))
            reply += message(b"K", struct.pack("!ii", 1, 1)) + message(b"Z", b"I")
            self.request.sendall(reply)
            return True

    def error(self, code: str, text: str) -> bytes:
        fields = b"SERROR\0VERROR\0C" + cstring(code) + b"M" + cstring(text) + b"\0"
        return message(b"E", fields)

    def query(self, db: sqlite3.Connection, sql: str, transaction: bytes) -> tuple:
        command = sql.strip().split(None, 1)[0].upper() if sql.strip() else ""
        if not command:
            return message(b"I"), transaction
        if command in ("BEGIN", "START"):
            return message(b"C", cstring("BEGIN")), b"T"
        if command in ("COMMIT", "ROLLBACK", "END", "ABORT"):
            return message(b"C", cstring("COMMIT" if command in ("COMMIT", "END") else "ROLLBACK")), b"I"
        if command in ("SET", "SHOW", "DISCARD", "RESET"):
            return message(b"C", cstring(command)), transaction
        try:
            cursor = db.execute(sql)
            rows = cursor.fetchall()
        except sqlite3.Error as error:
            return self.error("42601", str(error)), b"E" if transaction != b"I" else b"I"
        if cursor.description is None:
            return message(b"C", cstring(f"{command} {max(cursor.rowcount, 0)}")), transaction
        first = rows[0] if rows else [None] * len(cursor.description)
        fields = b""
        for column, value in zip(cursor.description, first):
            oid = TYPES.get(type(value), TEXT)
            fields += cstring(column[0]) + struct.pack("!ihihih", 0, 0, oid, -1, -1, 0)
        reply = message(b"T", struct.pack("!h", len(cursor.description)) + fields)
        for row in rows:
            data = struct.pack("!h", len(row))
            for value in row:
                if value is None:
                    data += struct.pack("!i", -1)
                else:
                    text = str(value).encode()
                    data += struct.pack("!i", len(text)) + text
            reply += message(b"D", data)
        return reply + message(b"C", cstring(f"SELECT {len(rows)}")), transaction


def serve(seed: tuple) -> int:
    """Starts the server in a daemon thread; returns its port on 127.0.0.1. Each
    connection's database first runs the `seed` statements."""
    handler = type("SeededSession", (Session,), {"seed": tuple(seed)})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="pg-wire", daemon=True).start()
    return server.server_address[1]
