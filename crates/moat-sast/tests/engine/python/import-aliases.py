import os
import os as operating_system
import subprocess as sp
from os import system
from os import system as run_shell
from subprocess import call as invoke


def run_all(command, args, shell_runner):
    # ruleid: import-aliases-subprocess-call
    sp.call(args)
    # ruleid: import-aliases-subprocess-call
    invoke(args, timeout=10)
    # ok: import-aliases-subprocess-call
    sp.check_call(args)
    # ok: import-aliases-subprocess-call
    shell_runner.call(args)
    # ruleid: import-aliases-os-system
    system(command)
    # ruleid: import-aliases-os-system
    run_shell("ls -la " + command)
    # ruleid: import-aliases-os-system
    os.system(command)
    # ruleid: import-aliases-os-system
    operating_system.system(command)
    # ok: import-aliases-os-system
    os.popen(command)
    # ok: import-aliases-os-system
    shell_runner.system(command)
