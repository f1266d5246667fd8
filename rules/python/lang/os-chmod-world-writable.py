import os
import stat


def publish(path):
    # ruleid: python.lang.os-chmod-world-writable
    os.chmod(path, 0o777)


def share(path):
    # ruleid: python.lang.os-chmod-world-writable
    os.chmod(path, mode=0o666)


def share_with_flags(path):
    # ruleid: python.lang.os-chmod-world-writable
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR | stat.S_IWOTH)


def share_fd(fd):
    # ruleid: python.lang.os-chmod-world-writable
    os.fchmod(fd, 0o772)


def publish_safe(path):
    # ok: python.lang.os-chmod-world-writable
    os.chmod(path, 0o755)


def private(path):
    # ok: python.lang.os-chmod-world-writable
    os.chmod(path, 0o600)


def readable(path):
    # ok: python.lang.os-chmod-world-writable
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR | stat.S_IROTH)


def configured(path, mode):
    # ok: python.lang.os-chmod-world-writable
    os.chmod(path, mode)
