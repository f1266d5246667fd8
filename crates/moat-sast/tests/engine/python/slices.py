def parts(argv, items, n):
    # ruleid: slices-drop-first
    rest = argv[1:]
    # ok: slices-drop-first
    # ruleid: slices-prefix
    head = argv[:1]
    # ok: slices-drop-first
    middle = argv[1:2]
    # ruleid: slices-prefix
    first = items[:n]
    # ok: slices-prefix
    tail = items[n:]
    # ok: slices-prefix
    single = items[n]
    return rest, head, middle, first, tail, single
