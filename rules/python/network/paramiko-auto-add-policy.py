import paramiko
from paramiko.client import WarningPolicy


def connect(host, user, key_file):
    client = paramiko.SSHClient()
    # ruleid: python.network.paramiko-auto-add-policy
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(host, username=user, key_filename=key_file)
    return client


def connect_warn(host):
    client = paramiko.SSHClient()
    # ruleid: python.network.paramiko-auto-add-policy
    client.set_missing_host_key_policy(WarningPolicy())
    client.connect(host)
    return client


def connect_class(host):
    client = paramiko.SSHClient()
    # ruleid: python.network.paramiko-auto-add-policy
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy)
    client.connect(host)
    return client


def connect_strict(host):
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    # ok: python.network.paramiko-auto-add-policy
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect(host)
    return client


def connect_known(host):
    client = paramiko.SSHClient()
    # ok: python.network.paramiko-auto-add-policy
    client.load_host_keys("/etc/myapp/known_hosts")
    client.connect(host)
    return client
