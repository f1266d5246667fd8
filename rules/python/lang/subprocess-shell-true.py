import subprocess
import subprocess as sp
from subprocess import Popen


def convert(src, dst):
    # ruleid: python.lang.subprocess-shell-true
    subprocess.call("convert " + src + " " + dst, shell=True)


def archive(name):
    # ruleid: python.lang.subprocess-shell-true
    return subprocess.check_output(f"tar czf {name}.tgz data", shell=True)


def ping(host):
    # ruleid: python.lang.subprocess-shell-true
    sp.run("ping -c 1 %s" % host, shell=True, check=True)


def tail(cmd):
    # ruleid: python.lang.subprocess-shell-true
    proc = Popen(cmd, shell=True, stdout=subprocess.PIPE)
    return proc


def list_args(src, dst):
    # ok: python.lang.subprocess-shell-true
    subprocess.run(["convert", src, dst], check=True)


def fixed_command():
    # ok: python.lang.subprocess-shell-true
    subprocess.call("ls -l /var/log", shell=True)


def shell_false(cmd):
    # ok: python.lang.subprocess-shell-true
    subprocess.check_call(cmd, shell=False)
