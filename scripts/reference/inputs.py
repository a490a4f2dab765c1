#!/usr/bin/env python3
"""Writes the workbook fixtures of tests/sheets.rs into tests/data/inputs/ (committed; small).

One table written as CSV and as workbooks by the programs people use, plus workbooks with
what spreadsheets hold besides a table (titles, merged cells, several and hidden sheets,
formulas with cached values, error cells, the 1904 date system):

- table.csv                 the reference (dates ISO 8601, booleans TRUE/FALSE, missing empty)
- table_xlsxwriter.xlsx     the same table, typed cells (numbers, dates, date-times, booleans)
- table_openpyxl.xlsx       the same, written by openpyxl
- table_odfpy.ods           the same, OpenDocument, written by odfpy
- table_xlwt.xls            the same, Excel 97-2003 (BIFF8), written by xlwt
- messy.xlsx                sheets `Applicants` (title rows, a merged title, formulas,
                            #DIV/0! and #N/A, a text id column of digits, a blank row, a
                            stray note right of the table, `unknown` in the age column),
                            `Codes` (a second table), `Secret` (hidden)
- dates_1904.xlsx           the table's dates in the 1904 date system (Mac Excel 2008)
- messy.ods                 a title row, a second sheet, an empty first sheet
- hidden.xlsx, hidden.ods   a 10-row table whose sheet rows 4 and 6-7 and column C are
                            hidden, plus a hidden row and column outside the table;
                            hidden.ods has a sheet `Notes` with a title merged over A1:C1
- table_pyarrow_CODEC.parquet  the same table as Parquet, written by pyarrow with each codec
                            (snappy, gzip, zstd, lz4, brotli, none), 4 row groups of 100 rows,
                            dictionary-encoded strings (pyarrow's default)
- table_pyarrow_plain.parquet  the same, no dictionaries, data pages v2, row groups of 150
- table_polars.parquet      the same, written by polars (zstd, its default)
- table_duckdb.parquet      the same, written by DuckDB (COPY … (FORMAT parquet), snappy)
- types.parquet             every type privaudit reads (ints of every width, UINT64 beyond
                            i64, FLOAT, DECIMAL as INT32/INT64/FIXED_LEN_BYTE_ARRAY, ENUM-like
                            dictionaries, DATE, TIMESTAMP ms/us/ns UTC and local, BOOLEAN,
                            TIME) and nested columns it skips (a list, a struct, a map)
- types_int96.parquet       legacy INT96 timestamps (pyarrow's Impala/Spark compatibility)

Pinned (Python 3.11+):
    python3 -m venv /tmp/venv-inputs
    /tmp/venv-inputs/bin/pip install xlsxwriter==3.3.1 openpyxl==3.1.5 odfpy==1.4.1 xlwt==1.3.0 \
        pyarrow==26.0.1 polars==2.1.0 duckdb==2.0.1
    /tmp/venv-inputs/bin/python scripts/reference/inputs.py
The writers stamp creation times into document properties; they are fixed here so that a
rerun writes the same cells (the zip bytes may still differ between library versions).
"""

import datetime as dt
from pathlib import Path

import openpyxl
import xlsxwriter
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
from odf.text import P

OUT = Path(__file__).resolve().parents[2] / "tests" / "data" / "inputs"
ROWS = 400
NAMES = ["id", "age", "income", "sex", "group", "approved", "score", "applied", "stamp", "member", "note"]
NOTES = ["quiet, dry", 'said "hi"', "Zoë née Ünal", "plain"]
FIXED = dt.datetime(2024, 1, 1)


def table():
    """Rows of typed values (None = missing), deterministic (xorshift64)."""
    x = 0x9E3779B97F4A7C15
    mask = (1 << 64) - 1
    rows = []
    for r in range(ROWS):
        x ^= (x << 13) & mask
        x ^= x >> 7
        x ^= (x << 17) & mask
        v = lambda k: (x >> (k * 8)) % 1000  # noqa: E731
        rows.append([
            f"r{r:05}",
            None if v(0) % 17 == 0 else 18 + v(1) % 60,
            round(20_000 + v(2) * 97 + (v(3) % 100) / 100, 2),
            "F" if v(4) % 2 == 0 else "M",
            ["A", "B", "C"][v(5) % 3],
            "yes" if v(6) % 5 < 2 + v(4) % 2 else "no",
            v(7) / 1000,
            None if v(1) % 23 == 0 else dt.date(2024, 1 + v(2) % 12, 1 + v(3) % 28),
            dt.datetime(2024, 3, 1 + v(0) % 28, v(1) % 24, v(2) % 60),
            v(8) % 3 != 0,
            NOTES[v(6) % 4],
        ])
    return rows


def csv_text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    s = str(v)
    return f'"{s.replace(chr(34), chr(34) * 2)}"' if any(c in s for c in ',"\n') else s


def write_csv(rows):
    lines = [",".join(NAMES)] + [",".join(csv_text(v) for v in row) for row in rows]
    (OUT / "table.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_xlsxwriter(rows, path, date_1904=False):
    wb = xlsxwriter.Workbook(str(path), {"date_1904": date_1904})
    wb.set_properties({"created": FIXED})
    ws = wb.add_worksheet("Table")
    fmt_date = wb.add_format({"num_format": "yyyy-mm-dd"})
    fmt_time = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    ws.write_row(0, 0, NAMES)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, dt.datetime):
                ws.write_datetime(i, j, v, fmt_time)
            elif isinstance(v, dt.date):
                ws.write_datetime(i, j, dt.datetime.combine(v, dt.time()), fmt_date)
            else:
                ws.write(i, j, v)
    wb.close()


def write_openpyxl(rows):
    wb = openpyxl.Workbook()
    wb.properties.created = wb.properties.modified = FIXED
    ws = wb.active
    ws.title = "Table"
    ws.append(NAMES)
    for row in rows:
        ws.append(row)
    for cells in ws.iter_rows(min_row=2, min_col=8, max_col=8):
        for c in cells:
            c.number_format = "yyyy-mm-dd"
    wb.save(OUT / "table_openpyxl.xlsx")


def ods_cell(v):
    if v is None:
        return TableCell()
    if isinstance(v, bool):
        c = TableCell(valuetype="boolean", booleanvalue="true" if v else "false")
        c.addElement(P(text="TRUE" if v else "FALSE"))
    elif isinstance(v, dt.datetime):
        c = TableCell(valuetype="date", datevalue=v.strftime("%Y-%m-%dT%H:%M:%S"))
        c.addElement(P(text=v.strftime("%Y-%m-%d %H:%M:%S")))
    elif isinstance(v, dt.date):
        c = TableCell(valuetype="date", datevalue=v.isoformat())
        c.addElement(P(text=v.isoformat()))
    elif isinstance(v, (int, float)):
        c = TableCell(valuetype="float", value=repr(v))
        c.addElement(P(text=repr(v)))
    else:
        c = TableCell(valuetype="string")
        c.addElement(P(text=str(v)))
    return c


def ods_sheet(doc, name, rows):
    t = Table(name=name)
    for row in rows:
        tr = TableRow()
        for v in row:
            tr.addElement(ods_cell(v))
        t.addElement(tr)
    doc.spreadsheet.addElement(t)


def write_ods(rows):
    doc = OpenDocumentSpreadsheet()
    ods_sheet(doc, "Table", [NAMES] + rows)
    doc.save(str(OUT / "table_odfpy.ods"))
    messy = OpenDocumentSpreadsheet()
    ods_sheet(messy, "Empty", [])
    ods_sheet(messy, "Survey", [["Survey of members, 2024"], [], ["name", "born", "score", "member"]]
              + [[f"p{i}", dt.date(1950 + i, 1 + i % 12, 1 + i % 28), i / 4, i % 2 == 0] for i in range(12)])
    ods_sheet(messy, "Other", [["k", "v"], ["a", 1], ["b", 2]])
    messy.save(str(OUT / "messy.ods"))


def write_xlwt(rows):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Table")
    st_date = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    st_time = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm:ss")
    for j, n in enumerate(NAMES):
        ws.write(0, j, n)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, dt.datetime):
                ws.write(i, j, v, st_time)
            elif isinstance(v, dt.date):
                ws.write(i, j, dt.datetime.combine(v, dt.time()), st_date)
            else:
                ws.write(i, j, v)
    wb.save(str(OUT / "table_xlwt.xls"))


def write_messy_xlsx():
    wb = xlsxwriter.Workbook(str(OUT / "messy.xlsx"))
    wb.set_properties({"created": FIXED})
    ws = wb.add_worksheet("Applicants")
    fmt_date = wb.add_format({"num_format": "dd/mm/yyyy"})
    # Rows 1-2: a merged title and a note; row 3 blank; the header on row 4 from column B.
    ws.merge_range("B1:H1", "Loan applications, Q1 2024", wb.add_format({"bold": True}))
    ws.write("B2", "Source: branch records (export of 2024-04-02)")
    ws.write_row("B4", ["id", "age", "income", "monthly", "applied", "ok", "ratio"])
    r = 4  # 0-based row of the first data row (sheet row 5)
    for i in range(20):
        if i == 10:
            r += 1  # a blank sheet row inside the table (sheet row 15)
        row = r + 1
        ws.write_string(r, 1, f"{i * 7:05}")  # digits stored as text: an id, kept as text
        if i == 6:
            ws.write_string(r, 2, "unknown")  # sheet row 11: text in the age column
        else:
            ws.write_number(r, 2, 20 + i)
        ws.write_number(r, 3, 1000 * (i + 1) + 0.5)
        # A formula with its cached value (what Excel saved): monthly = income / 12.
        ws.write_formula(r, 4, f"=D{row}/12", None, (1000 * (i + 1) + 0.5) / 12)
        ws.write_datetime(r, 5, dt.datetime(2024, 1, 1 + i), fmt_date)
        ws.write_boolean(r, 6, i % 3 != 0)
        if i == 4:
            ws.write_formula(r, 7, f"=C{row}/0", None, "#DIV/0!")
        elif i in (8, 9):
            ws.write_formula(r, 7, f"=NA()", None, "#N/A")
        else:
            ws.write_formula(r, 7, f"=C{row}/D{row}", None, (20 + i) / (1000 * (i + 1) + 0.5))
        r += 1
    ws.write(8, 10, "checked by JB")  # a note right of the table, sheet row 9 (K9)
    codes = wb.add_worksheet("Codes")
    codes.write_row(0, 0, ["code", "meaning"])
    for i, m in enumerate(["approved", "declined", "withdrawn"]):
        codes.write_row(i + 1, 0, [i + 1, m])
    secret = wb.add_worksheet("Secret")
    secret.write_row(0, 0, ["name", "salary"])
    secret.write_row(1, 0, ["x", 1])
    secret.hide()
    wb.close()


HIDDEN_ROWS = {4, 6, 7}  # sheet rows (1-based) hidden inside the table


def hidden_table():
    return [["id", "age", "group", "score"]] + [[f"r{i}", 20 + i, "ab"[i % 2], i / 2] for i in range(10)]


def write_hidden():
    rows = hidden_table()
    wb = xlsxwriter.Workbook(str(OUT / "hidden.xlsx"))
    wb.set_properties({"created": FIXED})
    ws = wb.add_worksheet("Data")
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
        if r + 1 in HIDDEN_ROWS:
            ws.set_row(r, None, None, {"hidden": True})
    ws.set_row(15, None, None, {"hidden": True})  # sheet row 16: below the table
    ws.set_column("C:C", None, None, {"hidden": True})
    ws.set_column("G:G", None, None, {"hidden": True})  # right of the table
    wb.close()
    doc = OpenDocumentSpreadsheet()
    t = Table(name="Data")
    t.addElement(TableColumn(numbercolumnsrepeated=2))
    t.addElement(TableColumn(visibility="collapse"))
    t.addElement(TableColumn())
    for r, row in enumerate(rows + [[]] * 6):
        tr = TableRow(visibility="collapse") if r + 1 in HIDDEN_ROWS or r == 15 else TableRow()
        for v in row:
            tr.addElement(ods_cell(v))
        t.addElement(tr)
    doc.spreadsheet.addElement(t)
    # A second sheet with a title merged over A1:C1 (calamine does not give ods merges).
    notes = Table(name="Notes")
    title = TableRow()
    cell = TableCell(valuetype="string", numbercolumnsspanned=3)
    cell.addElement(P(text="Notes, 2024"))
    title.addElement(cell)
    title.addElement(CoveredTableCell(numbercolumnsrepeated=2))
    notes.addElement(title)
    for row in [["k", "v", "w"], ["a", 1, 2], ["b", 3, 4]]:
        tr = TableRow()
        for v in row:
            tr.addElement(ods_cell(v))
        notes.addElement(tr)
    doc.spreadsheet.addElement(notes)
    doc.save(str(OUT / "hidden.ods"))


def arrow_table(rows):
    import pyarrow as pa

    types = [pa.string(), pa.int64(), pa.float64(), pa.string(), pa.string(), pa.string(), pa.float64(),
             pa.date32(), pa.timestamp("us"), pa.bool_(), pa.string()]
    cols = [pa.array([r[j] for r in rows], type=t) for j, t in enumerate(types)]
    return pa.table(cols, names=NAMES)


def write_parquet(rows):
    import duckdb
    import polars as pl
    import pyarrow.parquet as pq

    t = arrow_table(rows)
    for codec in ["snappy", "gzip", "zstd", "lz4", "brotli", "none"]:
        pq.write_table(t, OUT / f"table_pyarrow_{codec}.parquet", compression=codec, row_group_size=100)
    pq.write_table(t, OUT / "table_pyarrow_plain.parquet", use_dictionary=False, data_page_version="2.0",
                   row_group_size=150, compression="snappy")
    pl.from_arrow(t).write_parquet(OUT / "table_polars.parquet")
    con = duckdb.connect()
    con.register("t", t)
    con.execute(f"COPY (SELECT * FROM t) TO '{OUT / 'table_duckdb.parquet'}' (FORMAT parquet)")


def write_parquet_types():
    import decimal
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 6
    stamps = [dt.datetime(2024, 5, 1 + i, 12, 30, 15) for i in range(n)]
    cols = {
        "i8": pa.array([-128, -1, 0, 1, 127, None], pa.int8()),
        "i16": pa.array([-32768, 2, 3, 4, 32767, 5], pa.int16()),
        "i32": pa.array([-(2**31), 6, 7, 8, 2**31 - 1, 9], pa.int32()),
        "u8": pa.array([0, 1, 2, 200, 255, 3], pa.uint8()),
        "u16": pa.array([0, 1, 2, 60000, 65535, 3], pa.uint16()),
        "u32": pa.array([0, 1, 2, 4_000_000_000, 2**32 - 1, 3], pa.uint32()),
        "u64": pa.array([0, 1, 2, 3, 2**63 + 5, 4], pa.uint64()),
        "f32": pa.array([0.5, 1.25, -2.0, None, 3.75, 8.0], pa.float32()),
        "dec_small": pa.array([decimal.Decimal(x) for x in ["1.50", "-0.05", "12.00", "3.25", "0.00", "99.99"]],
                              pa.decimal128(4, 2)),
        "dec_mid": pa.array([decimal.Decimal(x) for x in ["123456.789", "-1.000", "0.001", "7.000", "8.125", "1.5"]],
                            pa.decimal128(12, 3)),
        "dec_big": pa.array([decimal.Decimal(x) for x in ["12345678901234567890.1234", "-1.0000", "0.0001",
                                                          "2.5000", "3.0000", "-99999999999999999999.9999"]],
                            pa.decimal128(38, 4)),
        "category": pa.array(["a", "b", "a", "c", "b", "a"]).dictionary_encode(),
        "day": pa.array([dt.date(2024, 1, 1 + i) for i in range(n)], pa.date32()),
        "ts_ms_utc": pa.array(stamps, pa.timestamp("ms", tz="UTC")),
        "ts_us_local": pa.array(stamps, pa.timestamp("us")),
        "ts_ns_utc": pa.array(stamps, pa.timestamp("ns", tz="UTC")),
        "flag": pa.array([True, False, None, True, True, False]),
        "clock": pa.array([dt.time(1, 2, 3), dt.time(23, 59, 59), None, dt.time(0, 0), dt.time(12), dt.time(6)],
                          pa.time32("s")),
        "tags": pa.array([["x"], [], None, ["y", "z"], ["x"], []], pa.list_(pa.string())),
        "address": pa.array([{"city": "Oslo", "zip": 1}] * n, pa.struct([("city", pa.string()), ("zip", pa.int32())])),
        "attrs": pa.array([[("k", 1)]] * n, pa.map_(pa.string(), pa.int32())),
        "note": pa.array(["plain", "Zoë", None, "", "NA", "x, y"]),
    }
    pq.write_table(pa.table(cols), OUT / "types.parquet", row_group_size=4)
    legacy = pa.table({"id": pa.array(list(range(n)), pa.int64()), "when": pa.array(stamps, pa.timestamp("ns"))})
    pq.write_table(legacy, OUT / "types_int96.parquet", use_deprecated_int96_timestamps=True)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rows = table()
    write_parquet(rows)
    write_parquet_types()
    write_csv(rows)
    write_xlsxwriter(rows, OUT / "table_xlsxwriter.xlsx")
    write_xlsxwriter(rows, OUT / "dates_1904.xlsx", date_1904=True)
    write_openpyxl(rows)
    write_ods(rows)
    write_xlwt(rows)
    write_messy_xlsx()
    write_hidden()


if __name__ == "__main__":
    main()
