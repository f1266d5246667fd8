import os
from os import system


def remove(path):
    # ruleid: python.lang.os-system-injection
    os.system("rm -f " + path)


def notify(user):
    # ruleid: python.lang.os-system-injection
    system(f"wall 'hello {user}'")


def clear_screen():
    # ok: python.lang.os-system-injection
    os.system("clear")


def remove_safe(path):
    # ok: python.lang.os-system-injection
    os.remove(path)
