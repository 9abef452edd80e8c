"""Cells for CSV and XLSX exports that spreadsheet programs never run as formulas."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Spreadsheets run a cell starting with = + - @ (or tab/CR) as a formula (CSV injection,
    `=cmd|' /C calc'!A0`); a leading apostrophe disarms it. Non-text values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
