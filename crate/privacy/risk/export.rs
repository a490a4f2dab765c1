//! The generalised table as CSV, computed locally (`audit --generalised-out`, the page's
//! "Download generalised table"): every row of the file with each quasi-identifier
//! replaced by its ladder level, and — to reach k — the quasi-identifiers of rows in
//! classes smaller than `suppress_below` all set to `*` (ARX's outliers).
//!
//! Two sequential reads of the file: the first counts the level-0 classes (the same
//! accumulator as the audit, so rare categories and small classes are decided exactly as
//! in the report), the second writes. **Only the quasi-identifiers, the sensitive
//! attributes and the columns the user names (`keep`) are written** (file order): any
//! other column may identify people (a name, a birth date), so nothing leaves unless asked
//! for; `identifier` and `ignore` columns cannot be kept. Values of other columns are
//! written as read (text) or canonically (numbers, ISO dates); every field is
//! formula-safe ([`csv_field`]).

use super::acc::RiskAcc;
use super::key::{decode, push_cell, push_value, Value};
use super::spec::RiskSpec;
use super::table::ValueCounts;
use crate::error::{Error, Result};
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::decoder::Decoder;
use crate::ingest::findings::FindingsAcc;
use crate::report::tables::csv_field;
use crate::sketch::fast_hash::MixSet;

/// Bytes per read of the file (the engine's chunk size, `engine::drive::CHUNK_BYTES`).
const CHUNK_BYTES: usize = 4 << 20;
use crate::spec::{Role, ValidSpec};
use std::io::{Read, Write};
use std::sync::Arc;

/// The columns named in `names` (for `keep`), checked: they exist and are not
/// identifiers or ignored.
pub fn keep_from(spec: &ValidSpec, names: &[String], option: &str) -> Result<Vec<usize>> {
    names
        .iter()
        .map(|n| {
            let c = spec.column_index(n).ok_or_else(|| Error::spec(option, format!("no column named `{n}`")))?;
            if matches!(spec.columns[c].role, Role::Identifier | Role::Ignore) {
                return Err(Error::spec(
                    option,
                    format!("`{n}` has the role {}: it is never written", spec.columns[c].role.name()),
                ));
            }
            Ok(c)
        })
        .collect()
}

/// [`keep_from`], refusing also the columns the report's personal-data detection judged
/// direct identifiers.
pub fn keep_checked(
    spec: &ValidSpec,
    report: &crate::report::Report,
    names: &[String],
    option: &str,
) -> Result<Vec<usize>> {
    if let Some(pd) = report.privacy.as_ref().and_then(|p| p.personal_data.as_ref()) {
        if let Some(c) = pd.direct_identifiers().find(|c| names.contains(&c.column)) {
            return Err(Error::spec(
                option,
                format!(
                    "`{}` was judged a direct identifier by personal-data detection: it is never written",
                    c.column
                ),
            ));
        }
    }
    keep_from(spec, names, option)
}

/// Levels by quasi-identifier name (`age=2,zip=1`) → one level per quasi-identifier;
/// unlisted ones stay at 0.
pub fn levels_from(spec: &ValidSpec, pairs: &[(String, u32)], option: &str) -> Result<Vec<u32>> {
    let risk =
        spec.risk.as_ref().ok_or_else(|| Error::spec(option, "needs quasi-identifiers (--quasi-identifiers)"))?;
    let mut levels = vec![0; risk.qis.len()];
    for (name, level) in pairs {
        let q = risk
            .qis
            .iter()
            .position(|&c| &spec.columns[c].name == name)
            .ok_or_else(|| Error::spec(option, format!("`{name}` is not a quasi-identifier")))?;
        let top = risk.ladders[q].height();
        if *level > top {
            return Err(Error::spec(option, format!("the ladder of `{name}` has levels 0 to {top}")));
        }
        levels[q] = *level;
    }
    Ok(levels)
}

enum Phase {
    Counting(RiskAcc),
    Writing { counts: Vec<ValueCounts>, small: MixSet<Box<[u8]>>, started: bool },
}

/// The generalised table of a file, fed twice in order: [`Generaliser::count`] the whole
/// file, [`Generaliser::end_count`], then [`Generaliser::feed`] it again.
pub struct Generaliser {
    spec: Arc<ValidSpec>,
    risk: RiskSpec,
    levels: Vec<u32>,
    suppress_below: u64,
    written: Vec<usize>,
    decoder: Decoder,
    findings: FindingsAcc,
    phase: Phase,
    rows: u64,
    suppressed: u64,
}

impl Generaliser {
    /// A generaliser at `levels` (one per quasi-identifier) that suppresses rows in classes
    /// smaller than `suppress_below` (0 or 1: none), writing the quasi-identifiers, the
    /// sensitive attributes and the columns `keep` ([`keep_from`]).
    pub fn new(spec: Arc<ValidSpec>, levels: Vec<u32>, suppress_below: u64, keep: &[usize]) -> Result<Self> {
        let mut risk = spec
            .risk
            .clone()
            .ok_or_else(|| Error::spec("privacy.quasi_identifiers", "the generalised table needs quasi-identifiers"))?;
        if levels.len() != risk.qis.len() {
            return Err(Error::spec("levels", "give one level per quasi-identifier"));
        }
        let mut written: Vec<usize> = risk.qis.iter().chain(&risk.sensitive).chain(keep).copied().collect();
        written.sort_unstable();
        written.dedup();
        risk.sensitive.clear();
        let acc = RiskAcc::new(&risk);
        let decoder = Decoder::new(Arc::clone(&spec), 0, u64::MAX, true);
        Ok(Generaliser {
            spec,
            risk,
            levels,
            suppress_below,
            written,
            decoder,
            findings: FindingsAcc::default(),
            phase: Phase::Counting(acc),
            rows: 0,
            suppressed: 0,
        })
    }

    /// First read: feeds the next bytes of the file. True once the file is complete.
    pub fn count(&mut self, bytes: &[u8]) -> Result<bool> {
        let Phase::Counting(acc) = &mut self.phase else { return Err(Error::state("the counting read is over")) };
        self.decoder.feed(bytes, &mut self.findings, &mut |b| acc.update(b))
    }

    /// Ends the first read; the next bytes fed are the second read from byte 0.
    pub fn end_count(&mut self) -> Result<()> {
        let Phase::Counting(acc) = &mut self.phase else { return Err(Error::state("the counting read is over")) };
        self.decoder.finish_input(&mut self.findings, &mut |b| acc.update(b))?;
        let acc = std::mem::replace(acc, RiskAcc::new(&self.risk));
        let table = acc.finish();
        if table.over_cap {
            return Err(Error::spec(
                "privacy.max_classes",
                format!("the quasi-identifiers take more than {} combinations; raise the cap to write the generalised table", self.risk.max_classes),
            ));
        }
        let interned = table.intern(self.risk.qis.len());
        let g = table.generalise(&interned, &self.risk.ladders, &self.levels, true);
        let counts = interned.values;
        let small = g.classes.into_iter().filter(|c| c.rows < self.suppress_below).map(|c| c.key).collect();
        self.phase = Phase::Writing { counts, small, started: false };
        self.decoder = Decoder::new(Arc::clone(&self.spec), 0, u64::MAX, true);
        self.findings = FindingsAcc::default();
        Ok(())
    }

    /// Second read: feeds the next bytes; appends the CSV of the rows they complete (the
    /// header first) to `out`. True once the file is complete.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<u8>) -> Result<bool> {
        self.header(out)?;
        let Generaliser { written, risk, levels, decoder, findings, phase, rows, suppressed, .. } = self;
        let Phase::Writing { counts, small, .. } = phase else { return Err(Error::state("count the file first")) };
        let ctx = Ctx { written, risk, levels, counts, small };
        decoder.feed(bytes, findings, &mut |b| ctx.lines(b, out, rows, suppressed))
    }

    /// Ends the second read; appends the last rows' CSV to `out`.
    pub fn finish_input(&mut self, out: &mut Vec<u8>) -> Result<()> {
        self.header(out)?;
        let Generaliser { written, risk, levels, decoder, findings, phase, rows, suppressed, .. } = self;
        let Phase::Writing { counts, small, .. } = phase else { return Err(Error::state("count the file first")) };
        let ctx = Ctx { written, risk, levels, counts, small };
        decoder.finish_input(findings, &mut |b| ctx.lines(b, out, rows, suppressed))
    }

    /// (rows written, rows whose quasi-identifiers were suppressed) so far.
    pub fn counts(&self) -> (u64, u64) {
        (self.rows, self.suppressed)
    }

    /// The columns written (file order).
    pub fn columns(&self) -> Vec<String> {
        self.written.iter().map(|&c| self.spec.columns[c].name.clone()).collect()
    }

    fn header(&mut self, out: &mut Vec<u8>) -> Result<()> {
        let names = self.columns();
        match &mut self.phase {
            Phase::Counting(_) => Err(Error::state("count the file first (end_count)")),
            Phase::Writing { started, .. } if !*started => {
                *started = true;
                let fields: Vec<String> = names.iter().map(|n| csv_field(n)).collect();
                out.extend_from_slice(fields.join(",").as_bytes());
                out.push(b'\n');
                Ok(())
            }
            Phase::Writing { .. } => Ok(()),
        }
    }
}

struct Ctx<'a> {
    written: &'a [usize],
    risk: &'a RiskSpec,
    levels: &'a [u32],
    counts: &'a [ValueCounts],
    small: &'a MixSet<Box<[u8]>>,
}

impl Ctx<'_> {
    fn lines(&self, batch: &Batch, out: &mut Vec<u8>, rows: &mut u64, suppressed: &mut u64) {
        let mut key = Vec::new();
        let mut labels: Vec<Value> = Vec::with_capacity(self.risk.qis.len());
        let mut one = Vec::new();
        for r in 0..batch.rows() {
            key.clear();
            labels.clear();
            for (q, &c) in self.risk.qis.iter().enumerate() {
                one.clear();
                if let Some(cell) = batch.column(c).get(r) {
                    push_cell(&mut one, batch, cell);
                }
                let n =
                    self.counts[q].binary_search_by(|(k, _)| (**k).cmp(&one[..])).map_or(0, |i| self.counts[q][i].1);
                let g = self.risk.ladders[q].generalise(self.levels[q], &decode(&one), n);
                push_value(&mut key, &g);
                labels.push(g);
            }
            let hide = self.small.contains(&key[..]);
            *rows += 1;
            *suppressed += u64::from(hide);
            let mut fields = Vec::new();
            for &c in self.written {
                let text = match self.risk.qis.iter().position(|&q| q == c) {
                    Some(_) if hide => "*".to_string(),
                    Some(q) => labels[q].text(),
                    None => batch.column(c).get(r).map_or_else(String::new, |cell| cell_text(batch, cell)),
                };
                fields.push(csv_field(&text));
            }
            out.extend_from_slice(fields.join(",").as_bytes());
            out.push(b'\n');
        }
    }
}

fn cell_text(batch: &Batch, cell: &Cell) -> String {
    match *cell {
        Cell::Text(s) | Cell::Invalid(s) => batch.text(s).to_string(),
        _ => {
            let mut b = Vec::new();
            push_cell(&mut b, batch, cell);
            decode(&b).text()
        }
    }
}

/// Writes the generalised table of the file `open()` returns (called twice: it is read
/// twice) to `out`, with the columns of [`Generaliser::new`]. Returns (rows written, rows suppressed).
pub fn write_generalised<R: Read>(
    spec: &Arc<ValidSpec>,
    levels: Vec<u32>,
    suppress_below: u64,
    keep: &[usize],
    mut open: impl FnMut() -> Result<R>,
    out: &mut impl Write,
) -> Result<(u64, u64)> {
    let mut g = Generaliser::new(Arc::clone(spec), levels, suppress_below, keep)?;
    let mut buf = vec![0u8; CHUNK_BYTES];
    let mut input = open()?;
    loop {
        let n = input.read(&mut buf)?;
        if n == 0 || g.count(&buf[..n])? {
            break;
        }
    }
    g.end_count()?;
    let mut input = open()?;
    let mut lines = Vec::new();
    loop {
        let n = input.read(&mut buf)?;
        let done = n == 0 || g.feed(&buf[..n], &mut lines)?;
        out.write_all(&lines)?;
        lines.clear();
        if done {
            break;
        }
    }
    g.finish_input(&mut lines)?;
    out.write_all(&lines)?;
    Ok(g.counts())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{resolve, RawSpec};

    fn generalised(csv: &str, toml: &str, levels: &[(&str, u32)], k: u64, keep: &[&str]) -> (String, (u64, u64)) {
        let raw = RawSpec::from_toml(toml).unwrap();
        let spec = Arc::new(ValidSpec::try_from_resolved(&resolve(&raw, csv.as_bytes(), true).unwrap().spec).unwrap());
        let pairs: Vec<(String, u32)> = levels.iter().map(|(n, l)| (n.to_string(), *l)).collect();
        let levels = levels_from(&spec, &pairs, "--levels").unwrap();
        let mut out = Vec::new();
        let keep = keep_from(&spec, &keep.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "--keep-columns").unwrap();
        let counts = write_generalised(&spec, levels, k, &keep, || Ok(csv.as_bytes()), &mut out).unwrap();
        (String::from_utf8(out).unwrap(), counts)
    }

    #[test]
    fn rows_are_generalised_and_small_classes_suppressed() {
        let csv = "id,age,zip,note\n1,23,13053,=cmd\n2,27,13068,a\n3,29,13053,b\n4,31,14850,c\n5,35,14853,d\n";
        let toml = "[[columns]]\nname = \"id\"\nrole = \"identifier\"\n[privacy]\nquasi_identifiers = [\"age\", \"zip\"]\n[privacy.ladders.age]\nkind = \"numeric\"\nwidths = [10]\n[privacy.ladders.zip]\nkind = \"mask\"\nmasks = [2]\n";
        let (text, counts) = generalised(csv, toml, &[("age", 1), ("zip", 1)], 3, &["note"]);
        assert_eq!(text, "age,zip,note\n20-29,130**,'=cmd\n20-29,130**,a\n20-29,130**,b\n*,*,c\n*,*,d\n");
        assert_eq!(counts, (5, 2));
        let (text, _) = generalised(csv, toml, &[("age", 2)], 0, &[]);
        assert!(text.starts_with("age,zip\n*,13053\n"), "{text}");
    }

    #[test]
    fn levels_and_kept_columns_are_checked() {
        let raw = RawSpec::from_toml("[privacy]\nquasi_identifiers = [\"a\"]\n").unwrap();
        let spec = ValidSpec::try_from_resolved(&resolve(&raw, b"a,b\nx,1\n", true).unwrap().spec).unwrap();
        let e = levels_from(&spec, &[("b".into(), 1)], "--levels").unwrap_err().to_string();
        assert!(e.contains("not a quasi-identifier"), "{e}");
        let e = levels_from(&spec, &[("a".into(), 7)], "--levels").unwrap_err().to_string();
        assert!(e.contains("levels 0 to 2"), "{e}");
        let e = keep_from(&spec, &["zz".into()], "--keep-columns").unwrap_err().to_string();
        assert!(e.contains("no column named `zz`"), "{e}");
    }
}
