//! Workbooks (issue 17 step 2): xlsx, xls and ods written by xlsxwriter, openpyxl, xlwt and
//! odfpy (tests/data/inputs/, written by scripts/reference/inputs.py with pinned versions).
//! The same table as CSV and as each workbook gives the same report; every execution
//! strategy gives the same report; what spreadsheets hold besides a table (titles, merged
//! cells, several and hidden sheets, formulas, error cells, the 1904 date system, notes
//! beside the table) is read as documented; broken workbooks give a sentence.

mod common;

use common::formats::{answers_with_findings as answers, audit, bias_spec, column, first_difference, fixture};
use common::{one_pass, random_chunks, ranges, report, serialised_shuffled};
use privaudit::audit_bytes;
use privaudit::report::InputMeta;
use privaudit::spec::{resolve, RawSpec, ValidSpec};
use std::sync::Arc;

fn err(raw: &RawSpec, bytes: &[u8]) -> String {
    audit_bytes(raw, bytes, InputMeta::default(), 1).expect_err("an error").to_string()
}

fn with_sheet(sheet: &str) -> RawSpec {
    let mut raw = RawSpec::default();
    raw.input.sheet = Some(sheet.into());
    raw
}

#[test]
fn the_same_table_gives_the_same_answers_as_csv_in_every_workbook_format() {
    let reference = answers(&audit(&bias_spec(), &fixture("table.csv")));
    for (file, format) in [
        ("table_xlsxwriter.xlsx", "xlsx"),
        ("table_openpyxl.xlsx", "xlsx"),
        ("dates_1904.xlsx", "xlsx"),
        ("table_odfpy.ods", "ods"),
        ("table_xlwt.xls", "xls"),
    ] {
        let r = audit(&bias_spec(), &fixture(file));
        let input = &r.input.spec.input;
        assert_eq!((input.format.as_deref(), input.sheet.as_deref()), (Some(format), Some("Table")), "{file}");
        assert_eq!(input.table_start.as_deref(), Some("A1"), "{file}");
        let got = answers(&r);
        assert!(got == reference, "{file} differs from the CSV: {}", first_difference(&got, &reference));
    }
}

#[test]
fn every_strategy_gives_the_same_report_for_a_workbook() {
    for file in ["table_xlsxwriter.xlsx", "table_odfpy.ods", "table_xlwt.xls", "messy.xlsx"] {
        let bytes = fixture(file);
        let p = resolve(&bias_spec_if(file), &bytes, true).expect("preview");
        let spec = Arc::new(ValidSpec::try_from_resolved(&p.spec).expect("valid"));
        let meta = InputMeta { notices: p.notices.clone(), file_size: bytes.len() as u64, ..Default::default() };
        let want = report(&spec, one_pass(&spec, &bytes), &meta, &bytes).to_json();
        let strategies = [
            ("chunks", random_chunks(&spec, &bytes, 997, 7)),
            ("1-byte chunks", random_chunks(&spec, &bytes, 1, 3)),
            ("3 ranges", ranges(&spec, &bytes, 3, 1 << 10)),
            ("serialised, shuffled", serialised_shuffled(&spec, &bytes, 5, 11)),
        ];
        for (name, st) in strategies {
            let got = report(&spec, st, &meta, &bytes).to_json();
            assert!(got == want, "{file}: {name} differs");
        }
    }
}

fn bias_spec_if(file: &str) -> RawSpec {
    if file.starts_with("table") {
        bias_spec()
    } else {
        RawSpec::default()
    }
}

#[test]
fn a_messy_sheet_is_read_as_its_table_with_sheet_row_numbers() {
    let bytes = fixture("messy.xlsx");
    let mut raw = RawSpec::from_toml("[[columns]]\nname = \"age\"\ntype = \"integer\"\n").unwrap();
    let r = audit(&raw, &bytes);
    let input = &r.input.spec.input;
    assert_eq!((input.sheet.as_deref(), input.table_start.as_deref()), (Some("Applicants"), Some("B4")));
    let names: Vec<&str> = r.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "age", "income", "monthly", "applied", "ok", "ratio"], "the note in K9 is no column");
    assert_eq!(r.input.rows, 20, "the blank sheet row 15 is not a row");
    let notice = |s: &str| assert!(r.notices.iter().any(|n| n.contains(s)), "no notice {s:?} in {:?}", r.notices);
    notice("sheet rows 1–3 above the table were skipped (a title or notes); the table starts at cell B4");
    notice("the workbook has 3 sheets (`Applicants`, `Codes`, `Secret`); `Applicants` is read");
    notice("sheet `Applicants` has 1 merged cell range(s) (first B1:H1)");
    notice("cells right of the header (columns I–K) are not part of the table");
    let f = |id: &str| r.findings.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("no finding {id}"));
    // Rows of findings are the sheet's rows, as a spreadsheet program shows them.
    assert_eq!((f("ragged_rows").count, f("ragged_rows").first[0].row), (1, Some(9)), "the note in K9");
    let bad = f("unparseable_cells");
    assert_eq!((bad.count, bad.first[0].row, bad.first[0].column.as_deref()), (1, Some(11), Some("age")));
    assert_eq!(bad.first[0].byte, None, "a workbook has no byte offsets to show");
    // Digits stored as text stay text (leading zeros kept), not numbers.
    let id = column(&r, "id");
    assert_eq!((id["type"].as_str(), id["valid"].as_u64()), (Some("identifier"), Some(20)), "{id}");
    // Formulas by their cached values; error cells missing with their kind.
    let monthly = column(&r, "monthly");
    assert_eq!(monthly["numeric"]["sum"].as_f64(), Some((1..=20).map(|i| (1000.0 * i as f64 + 0.5) / 12.0).sum()));
    let ratio = column(&r, "ratio");
    assert_eq!(ratio["missing"].as_u64(), Some(3));
    let tokens: Vec<(&str, u64)> = ratio["missing_by_token"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["what"].as_str().unwrap(), t["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(tokens, [("error cell #DIV/0!", 1), ("error cell #N/A", 2)]);
    let (applied, ok) = (column(&r, "applied"), column(&r, "ok"));
    assert_eq!((applied["type"].as_str(), applied["valid"].as_u64()), (Some("date"), Some(20)));
    assert_eq!((ok["type"].as_str(), ok["valid"].as_u64()), (Some("boolean"), Some(20)));
    // Naming the table's start reads from there: from B5 the first row is data (no header
    // detected), or the header when the spec says so.
    raw.input.table_start = Some("B5".into());
    raw.columns.clear();
    let from_b5 = audit(&raw, &bytes);
    assert_eq!((from_b5.columns[0].name.as_str(), from_b5.input.rows), ("column_1", 20));
    raw.input.header = Some(true);
    let from_b5 = audit(&raw, &bytes);
    assert_eq!((from_b5.columns[0].name.as_str(), from_b5.input.rows), ("00000", 19));
}

#[test]
fn a_sheet_is_chosen_by_name_or_position_and_a_wrong_one_is_named() {
    let bytes = fixture("messy.xlsx");
    let codes = audit(&with_sheet("Codes"), &bytes);
    assert_eq!(codes.input.spec.input.sheet.as_deref(), Some("Codes"));
    assert_eq!((codes.input.rows, codes.columns.len()), (3, 2));
    assert_eq!(answers(&audit(&with_sheet("2"), &bytes)), answers(&codes), "sheet 2 is `Codes`");
    // The report says what was read: format, sheet, where the table starts.
    let html = codes.to_html();
    assert!(html.contains("xlsx workbook · sheet Codes · table from cell A1 · first row is the header"));
    assert!(!html.contains("delimiter"), "no CSV dialect for a workbook");
    let hidden = audit(&with_sheet("Secret"), &bytes);
    assert!(
        hidden.notices.iter().any(|n| n.contains("sheet `Secret` is hidden in the workbook")),
        "{:?}",
        hidden.notices
    );
    let e = err(&with_sheet("Nope"), &bytes);
    assert!(e.contains("the workbook has no sheet `Nope`; its sheets are `Applicants`, `Codes`, `Secret`"), "{e}");
    assert!(err(&with_sheet("4"), &bytes).contains("has no sheet `4`"));
    // OpenDocument: an empty first sheet is passed over; the title rows above the header skipped.
    let ods = audit(&RawSpec::default(), &fixture("messy.ods"));
    assert_eq!(ods.input.spec.input.sheet.as_deref(), Some("Survey"));
    assert_eq!(ods.input.spec.input.table_start.as_deref(), Some("A3"));
    assert_eq!(ods.input.rows, 12);
    let born = column(&ods, "born");
    assert_eq!((born["type"].as_str(), born["valid"].as_u64()), (Some("date"), Some(12)));
    assert!(err(&with_sheet("Empty"), &fixture("messy.ods")).contains("sheet `Empty` is empty"));
}

#[test]
fn broken_workbooks_give_a_sentence() {
    let xlsx = fixture("table_xlsxwriter.xlsx");
    let e = err(&RawSpec::default(), &xlsx[..xlsx.len() / 2]);
    assert!(e.contains("the file is a damaged zip archive") || e.contains("damaged or unreadable"), "{e}");
    let xls = fixture("table_xlwt.xls");
    let e = err(&RawSpec::default(), &xls[..xls.len() / 2]);
    assert!(e.contains("xls") && e.contains("save it again"), "{e}");
    // The spec's format must agree with the content, both ways round.
    let mut raw = RawSpec::default();
    raw.input.format = Some("xlsx".into());
    let e = err(&raw, &fixture("table.csv"));
    assert!(e.contains("is `xlsx` but the file's content is CSV"), "{e}");
    raw.input.format = Some("csv".into());
    let e = err(&raw, &xlsx);
    assert!(e.contains("is `csv` but the file's content is"), "{e}");
    // A declared type a typed cell does not fit is a finding, never a silent cast.
    let raw = RawSpec::from_toml("[[columns]]\nname = \"applied\"\ntype = \"integer\"\n").unwrap();
    let r = audit(&raw, &xlsx);
    let f = r.findings.iter().find(|f| f.id == "unparseable_cells").expect("a finding");
    assert_eq!((f.first[0].row, f.first[0].column.as_deref()), (Some(2), Some("applied")), "{f:?}");
}

/// Hidden rows and columns inside the table are named (calamine does not expose them; they
/// are read from the sheet's XML), those outside it are not, and every row is still read.
#[test]
fn hidden_rows_and_columns_are_named_and_read() {
    for file in ["hidden.xlsx", "hidden.ods"] {
        let r = audit(&RawSpec::default(), &fixture(file));
        assert_eq!(r.input.rows, 10, "{file}: hidden rows are rows");
        let names: Vec<&str> = r.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "age", "group", "score"], "{file}: the hidden column is a column");
        let want = "sheet `Data` has 3 hidden rows (sheet rows 4, 6–7) and 1 hidden column (C) in the table";
        assert!(r.notices.iter().any(|n| n.starts_with(want)), "{file}: no notice {want:?} in {:?}", r.notices);
    }
    // The other workbooks hide nothing inside their tables: no such notice.
    for file in ["messy.xlsx", "messy.ods", "table_xlsxwriter.xlsx", "table_odfpy.ods"] {
        let r = audit(&RawSpec::default(), &fixture(file));
        assert!(
            !r.notices.iter().any(|n| n.contains("hidden row") || n.contains("hidden column")),
            "{file}: {:?}",
            r.notices
        );
    }
}

/// ods merges are read from the sheet's XML (calamine gives only xlsx's and xls').
#[test]
fn merged_cells_of_an_ods_sheet_are_noted() {
    let r = audit(&with_sheet("Notes"), &fixture("hidden.ods"));
    let want = "sheet `Notes` has 1 merged cell range(s) (first A1:C1)";
    assert!(r.notices.iter().any(|n| n.starts_with(want)), "no notice {want:?} in {:?}", r.notices);
    let names: Vec<&str> = r.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!((names, r.input.rows), (vec!["k", "v", "w"], 2), "the merged title is skipped");
}
