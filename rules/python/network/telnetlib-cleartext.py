import telnetlib
from telnetlib import Telnet

import paramiko


def reboot(host, password):
    # ruleid: python.network.telnetlib-cleartext
    session = telnetlib.Telnet(host, 23, timeout=10)
    session.write(password.encode() + b"\n")


def banner(host):
    # ruleid: python.network.telnetlib-cleartext
    with Telnet(host) as session:
        return session.read_some()


def reboot_ssh(host, user):
    # ok: python.network.telnetlib-cleartext
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.connect(host, username=user)


def describe():
    # ok: python.network.telnetlib-cleartext
    return telnetlib.__name__
