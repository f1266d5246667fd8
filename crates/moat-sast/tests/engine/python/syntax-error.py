import os


def broken(:
    return 1


# ruleid: syntax-error-os-system
os.system("echo still scanned")

# ok: syntax-error-os-system
os.getcwd()
