import os


def read_text(path):
    # ruleid: pattern-not-inside-open-outside-with
    fh = open(path)
    data = fh.read()
    fh.close()
    return data


def read_text_managed(path):
    # ok: pattern-not-inside-open-outside-with
    with open(path) as fh:
        return fh.read()


def copy_text(src, dst):
    # ok: pattern-not-inside-open-outside-with
    with open(src, "rb") as source:
        # ok: pattern-not-inside-open-outside-with
        target = open(dst, "wb")
        target.write(source.read())
        target.close()


def write_log(path, line):
    # ruleid: pattern-not-inside-open-outside-with
    open(path, "a").write(line)


def cleanup(tmp_path, lock_path):
    # ruleid: pattern-not-inside-unchecked-remove
    os.remove(tmp_path)
    if os.path.exists(lock_path):
        # ok: pattern-not-inside-unchecked-remove
        os.remove(lock_path)
    if os.path.exists(lock_path):
        # ruleid: pattern-not-inside-unchecked-remove
        os.remove(tmp_path)
