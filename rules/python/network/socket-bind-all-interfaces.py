import os
import socket


def serve(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # ruleid: python.network.socket-bind-all-interfaces
    sock.bind(("0.0.0.0", port))
    sock.listen()


def serve_any():
    sock = socket.socket()
    # ruleid: python.network.socket-bind-all-interfaces
    sock.bind(("", 8080))
    sock.listen()


def serve_v6(port):
    sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    # ruleid: python.network.socket-bind-all-interfaces
    sock.bind(("::", port, 0, 0))
    sock.listen()


def serve_local(port):
    sock = socket.socket()
    # ok: python.network.socket-bind-all-interfaces
    sock.bind(("127.0.0.1", port))
    sock.listen()


def serve_configured(port):
    sock = socket.socket()
    # ok: python.network.socket-bind-all-interfaces
    sock.bind((os.environ.get("LISTEN_ADDR", "127.0.0.1"), port))
    sock.listen()
