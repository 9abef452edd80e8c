"""Reports for coordination and quarter managers: the guiding questions answered with figures.

`scope.py` decides which areas a report covers, `selectors.py` computes every figure with the
ORM's aggregation (a fixed number of queries whatever the data size), `build.py` turns them
into sections of tables and charts, `exports.py` writes CSV and XLSX, `profile.py` the public
"Was bewegt das Quartier?" section of an area page.
"""
