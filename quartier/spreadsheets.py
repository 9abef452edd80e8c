"""Cells for CSV and XLSX exports that spreadsheet programs never run as formulas."""

from quartier.text import clean_text

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Spreadsheets run a cell starting with = + - @ (or tab/CR) as a formula (CSV injection,
    `=cmd|' /C calc'!A0`); a leading apostrophe disarms it. Control characters go (XLSX is
    XML and cannot carry them). Non-text values pass unchanged."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value
