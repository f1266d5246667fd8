import subprocess
from subprocess import getstatusoutput


def git_log(ref):
    # ruleid: python.lang.subprocess-getoutput-injection
    return subprocess.getoutput("git log " + ref)


def disk_usage(path):
    # ruleid: python.lang.subprocess-getoutput-injection
    status, output = getstatusoutput(f"du -sh {path}")
    return output


def uptime():
    # ok: python.lang.subprocess-getoutput-injection
    return subprocess.getoutput("uptime")


def git_log_safe(ref):
    # ok: python.lang.subprocess-getoutput-injection
    return subprocess.run(["git", "log", ref], capture_output=True, text=True).stdout
