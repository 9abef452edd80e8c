from quartier.spreadsheets import spreadsheet_safe


def test_formula_cells_are_disarmed_other_values_pass():
    assert spreadsheet_safe("=1+1") == "'=1+1"
    assert spreadsheet_safe("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("-3") == "'-3"
    assert spreadsheet_safe("\tx") == "'\tx"
    assert spreadsheet_safe("normal") == "normal"
    assert spreadsheet_safe(5) == 5
