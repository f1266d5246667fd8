__version__: str

def sql_injected(query: str, tainted: list[tuple[int, int]]) -> bool:
    """Whether the tainted byte ranges change the structure of an SQL query."""

def shell_injected(command: str, tainted: list[tuple[int, int]]) -> bool:
    """Whether the tainted byte ranges change the structure of a shell command."""

def _panic_for_tests() -> bool: ...
