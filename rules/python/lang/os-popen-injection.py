import os
import os as operating_system


def whois(domain):
    # ruleid: python.lang.os-popen-injection
    return os.popen("whois " + domain).read()


def count_lines(path):
    # ruleid: python.lang.os-popen-injection
    return operating_system.popen("wc -l %s" % path, "r").read()


def kernel():
    # ok: python.lang.os-popen-injection
    return os.popen("uname -r").read()


def open_file(path):
    # ok: python.lang.os-popen-injection
    return open(path).read()
