"""The demo apps' catalogue of labelled endpoints, shared by the Flask and Django demos.

Each view is registered with `@case(...)`: the vulnerability type it exercises, whether
it is vulnerable, and the request that triggers it. A vulnerable view marks the line
the agent must report with a `# report` comment (checks of the response as a whole, such
as a missing header, put it on the `def` line). The tests read the catalogue from the
running app, send every request, and compare what the agent reported.
"""

import inspect
import os

CASES = []


def case(kind, vulnerable, path=None, method="GET", params=None, form=None, json=None, headers=None,
         cookies=None, data=None, files=None):
    """Registers the decorated view as a labelled case; `path` defaults to `/<view name>`."""

    def register(view):
        lines, first = inspect.getsourcelines(view)
        marked = [first + i for i, text in enumerate(lines) if text.rstrip().endswith("# report")]
        if vulnerable and len(marked) != 1:
            raise ValueError(f"{view.__name__}: a vulnerable case marks exactly one line with `# report`")
        CASES.append({
            "name": view.__name__,
            "type": kind,
            "vulnerable": vulnerable,
            "method": method,
            "path": path or "/" + view.__name__.replace("_", "-"),
            "params": params or {},
            "form": form,
            "json": json,
            "headers": headers or {},
            "cookies": cookies or {},
            "data": data,
            # Uploads: field -> (filename, text), sent as multipart/form-data.
            "files": files,
            "file": os.path.basename(inspect.getsourcefile(view)),
            "line": marked[0] if marked else None,
        })
        return view

    return register
