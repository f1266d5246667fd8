import tempfile
from tempfile import mktemp


def write_report(data):
    # ruleid: python.lang.insecure-tempfile-mktemp
    path = tempfile.mktemp(suffix=".csv")
    with open(path, "w") as handle:
        handle.write(data)


def scratch():
    # ruleid: python.lang.insecure-tempfile-mktemp
    return open(mktemp(), "wb")


def write_report_safe(data):
    # ok: python.lang.insecure-tempfile-mktemp
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
        handle.write(data)


def scratch_safe():
    # ok: python.lang.insecure-tempfile-mktemp
    fd, path = tempfile.mkstemp()
    return fd, path
