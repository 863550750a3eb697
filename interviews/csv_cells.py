"""CSV cells that a spreadsheet will not run: a text that starts like a formula (=, +, -,
@, a tab or a carriage return) gets a leading apostrophe, which spreadsheets show as text.
Texts here can come from a model the candidate steers (suggested questions) or from
recruiters' free text, and CSVs are opened in spreadsheets."""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def safe_cell(value: object) -> object:
    if not isinstance(value, str) or _NUMBER.fullmatch(value):
        return value
    if value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescaped_cell(value: str) -> str:
    """What safe_cell wrote, read back (an import of an export)."""
    if value.startswith("'") and value[1:].lstrip(" ").startswith(FORMULA_STARTS):
        return value[1:]
    return value
