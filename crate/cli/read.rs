//! Reading the inputs: the spec file, the data file's first bytes for the preview (a
//! workbook whole), and I/O errors that name the path.

use privaudit::error::{Error, Result};
use privaudit::spec::{resolve, RawSpec};
use std::io::Read;
use std::path::Path;

/// An I/O error naming the file.
pub(crate) fn io_err(path: impl AsRef<Path>, e: std::io::Error) -> Error {
    Error::kind_only(privaudit::error::ErrorKind::Io(format!("{}: {e}", path.as_ref().display())))
}

/// The spec file (TOML), or the default spec without one.
pub(crate) fn read_spec(path: Option<&Path>) -> Result<RawSpec> {
    match path {
        None => Ok(RawSpec::default()),
        Some(p) => RawSpec::from_toml(&std::fs::read_to_string(p).map_err(|e| io_err(p, e))?),
    }
}

/// The preview: the spec resolved against the file's first MiB (a workbook whole).
pub(crate) fn preview(data: &Path, raw: &RawSpec) -> Result<privaudit::ingest::sniff::Preview> {
    let mut f = std::fs::File::open(data).map_err(|e| io_err(data, e))?;
    let mut sample = Vec::with_capacity(privaudit::ingest::sniff::SAMPLE_BYTES);
    (&mut f).take(privaudit::ingest::sniff::SAMPLE_BYTES as u64 + 1).read_to_end(&mut sample)?;
    if privaudit::ingest::source::detect::is_parquet(&sample) {
        // Parquet: the footer and the first row group's first rows, never the whole file.
        let input = privaudit::ingest::source::parquet::native::preview_input(&mut f)?;
        return resolve(raw, &input, true);
    }
    if privaudit::ingest::source::detect::needs_whole_file(&sample) {
        // A workbook (zip, CFB) is read whole: its directory is at the end.
        f.read_to_end(&mut sample)?;
        return resolve(raw, &sample, true);
    }
    let whole = sample.len() <= privaudit::ingest::sniff::SAMPLE_BYTES;
    sample.truncate(privaudit::ingest::sniff::SAMPLE_BYTES);
    resolve(raw, &sample, whole)
}
