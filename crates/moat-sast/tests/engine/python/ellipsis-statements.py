import tempfile


def write_report(path, text):
    # ruleid: ellipsis-statements-manual-close
    fh = open(path, "w")
    fh.write(text)
    fh.close()


def read_maybe(path, keep_open):
    # ruleid: ellipsis-statements-manual-close
    fh = open(path)
    data = fh.read()
    if not keep_open:
        fh.close()
    return data, fh


def read_in_loop(paths):
    for path in paths:
        # ruleid: ellipsis-statements-manual-close
        handle = open(path)
        for line in handle:
            print(line)
        handle.close()


def read_guarded(path):
    # ruleid: ellipsis-statements-manual-close
    fh = open(path)
    try:
        return fh.read()
    finally:
        fh.close()


def close_other(path, other):
    # ok: ellipsis-statements-manual-close
    fh = open(path)
    other.close()
    return fh


def close_before_open(path, fh):
    fh.close()
    # ok: ellipsis-statements-manual-close
    fh = open(path)
    return fh


def scratch(data):
    # ruleid: ellipsis-statements-mktemp-then-open
    name = tempfile.mktemp(suffix=".txt")
    print("using", name)
    fh = open(name, "w")
    fh.write(data)
    return fh


def scratch_other(data, known_path):
    # ok: ellipsis-statements-mktemp-then-open
    name = tempfile.mktemp()
    fh = open(known_path, "w")
    fh.write(data + name)
    return fh


def scratch_safely(data):
    # ok: ellipsis-statements-mktemp-then-open
    fd, name = tempfile.mkstemp()
    fh = open(name, "w")
    fh.write(data)
    return fd, fh
