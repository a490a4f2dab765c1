#!/usr/bin/env python3
"""Writes the messy-input corpus (tests/data/messy/*). Run from this directory.

The files are committed; this script documents their exact bytes and rebuilds them.
Expected outcomes are in EXPECTED.md and asserted by tests/messy.rs.
"""
import gzip
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

FILES = {
    "bom_utf8.csv": b"\xef\xbb\xbfname,age\nAnn,30\nBob,40\n",
    "crlf.csv": b"k,score\r\n1,1.5\r\n2,2.5\r\n3,3.5\r\n",
    "cr_only.csv": b"a,b\r1,x\r2,y\r3,z\r",
    "semicolon_decimal_comma.csv": b"name;price;qty\nApple;1,5;3\nPear;2,25;4\nPlum;0,75;5\n",
    "tab.tsv": b"city\tpop\tnote\nOslo\t709000\tcold, dark\nRome\t2873000\twarm\nLima\t9751000\t\n",
    "pipe.csv": b"a|b|c\n1|x, y|2.5\n2|z|3.5\n",
    "quoted.csv": (
        b'k,comment,n\n'
        b'1,"hello, world",10\n'
        b'2,"line one\n5,fake,99\nline two",20\n'
        b'3,"she said ""hi""",30\n'
        b'4,"",40\n'
    ),
    "latin1.csv": b"name,city\nJos\xe9,M\xfcnchen\nFran\xe7ois,Orl\xe9ans\n",
    "windows1252.csv": b"item,note\nA,\x80 5\nB,\x93curly\x94\n",
    "utf8_one_bad_byte.csv": "name,city\nAnn,Zürich\nBob,Caf".encode() + b"\xe9" + "\nCy,Köln\n".encode(),
    "utf16le_bom.csv": b"\xff\xfe" + "name,age\nZoë,31\nÅsa,29\n".encode("utf-16-le"),
    "utf16be_bom.csv": b"\xfe\xff" + "name,age\nZoë,31\nÅsa,29\n".encode("utf-16-be"),
    "utf16le_no_bom.csv": "name,age\nZoe,31\nAsa,29\n".encode("utf-16-le"),
    "ragged.csv": b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n",
    "empty.csv": b"",
    "blank_lines.csv": b"\n\n\r\n\n",
    "header_only.csv": b"a,b,c\n",
    "numbers.csv": (
        b'label,x,amount\n'
        b'a,1e308,"1,234.5"\n'
        b'b,-0,10\n'
        b'c,NaN,20\n'
        b'd,inf,30\n'
        b'e,-inf,40\n'
        b'f,2,50\n'
    ),
    "dates.csv": (
        b"iso,dmy,mdy,ambiguous,dotted\n"
        b"2024-01-31,31/01/2024,01/31/2024,03/04/2024,31.01.2024\n"
        b"2023-12-01,01/12/2023,12/01/2023,05/06/2023,01.12.2023\n"
        b"2024-02-29,29/02/2024,02/29/2024,07/08/2022,29.02.2024\n"
    ),
    "all_missing.csv": (
        b"k,empty,score\n"
        b"1,,5\n2,NA,6\n3,null,7\n4, n/a ,8\n5,None,9\n6,?,10\n7,-,11\n8,NaN,12\n9,NULL,13\n"
    ),
    "formulas.csv": b"name,formula\na,=1+1\nb,+cmd\nc,@SUM(A1)\nd,-2+3\n",
    "duplicate_headers.csv": b"x,y,x,x.1\n1,2,3,4\n5,6,7,8\n",
    "empty_header.csv": b",b,\n1,2,3\n4,5,6\n",
    # The first 33 bytes of a 1x1 PNG: signature + IHDR chunk (11 NUL bytes).
    "binary.png": bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c489"),
    "xss_header.csv": b"<img src=x onerror=alert(1)>,b\n1,<script>alert(2)</script>\n3,x\n",
    # Issue 17: other formats, detected by content.
    "jsonl_one_bad_line.jsonl": (
        b'{"id": 1, "city": "Oslo", "score": 1.5}\n'
        b'{"id": 2, "city": "Rome", "score": null}\n'
        b'{"id": 3, "city": "Lima" "score": 2.5}\n'
        b'\n'
        b'{"id": 4, "city": "Oslo", "score": 3.5}\n'
        b'{"id": 5, "city": "Rome", "score": 4.5}\n'
    ),
    "empty.gz": b"",
    "empty_member.csv.gz": gzip.compress(b"", mtime=0),
    "truncated.csv.gz": gzip.compress(b"a,b\n" + b"".join(b"%d,x%d\n" % (i, i) for i in range(200)), mtime=0)[:300],
    # A renamed zip of random bytes: the zip signature, then noise.
    "random_bytes.xlsx": b"PK\x03\x04" + random.Random(17).randbytes(400),
    # The first 12,000 of 30,223 bytes of a real workbook (tests/data/inputs/, written by
    # scripts/reference/inputs.py): its members' headers, no central directory.
    "truncated.xlsx": open(os.path.join(HERE, "..", "inputs", "table_xlsxwriter.xlsx"), "rb").read()[:12000],
    # A Parquet file's head (magic, then a page header's NULs) with no footer.
    "truncated.parquet": b"PAR1\x15\x04\x15\x00\x15\x00\x4c\x15\x02\x00\x00\x00" + bytes(20),
    # A Parquet file whose last 8 bytes give a footer of 1,000,000 bytes: beyond the file.
    "footer_beyond.parquet": b"PAR1" + bytes(20) + (1_000_000).to_bytes(4, "little") + b"PAR1",
    # A real Parquet file (tests/data/inputs/table_pyarrow_zstd.parquet, 4 row groups) with
    # the bytes between its first 6,000 and its footer cut out: the footer's row groups
    # point beyond the data.
    "row_group_beyond.parquet": (lambda b: b[:6000] + b[len(b) - 8 - int.from_bytes(b[-8:-4], "little"):])(
        open(os.path.join(HERE, "..", "inputs", "table_pyarrow_zstd.parquet"), "rb").read()
    ),
    # The same file with four bytes changed (found by random damage): the footer parses, and
    # the parquet crate panics inside a row group ("assertion failed: size <= src.len()").
    # Natively the panic is caught; in the browser it traps the Parquet module, and the page
    # must still give the sentence.
    "reader_panic.parquet": (lambda b: bytes(
        {15: 94, 984: 38, 3372: 63, 4560: 22}.get(i, v) for i, v in enumerate(b)
    ))(open(os.path.join(HERE, "..", "inputs", "table_pyarrow_zstd.parquet"), "rb").read()),
}

if __name__ == "__main__":
    for name, data in FILES.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
    print(f"wrote {len(FILES)} files")
