//! Record completion: one parsed record becomes a typed row of the current [`Batch`], and
//! its ragged, unparseable and undecodable cells become findings.

use super::{Decoder, Phase, SHARED_RECORD_BYTES};
use crate::ingest::batch::{Batch, Cell, Span};
use crate::ingest::encoding::{decode_field, Encoding};
use crate::ingest::findings::{FindingsAcc, Loc};
use crate::ingest::typing::{classify, parse_into, Kind, Parsed};
use std::borrow::Cow;

impl Decoder {
    /// `term`: the byte that ended the record (`None` at the end of the input).
    pub(super) fn record_done(&mut self, f: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch), term: Option<u8>) {
        let (nout, nend) = (self.nout, self.nend);
        self.nout = 0;
        self.nend = 0;
        if self.phase == Phase::Header {
            self.header_done(term, f);
            return;
        }
        self.rows += 1;
        if self.batch.is_empty() {
            self.batch.set_origin(self.record_start, self.rows);
        }
        let row = Loc { byte: self.record_start, column: None, row_in_segment: self.rows };
        self.row_lines(row, nout, nend, term, f);
        let loc = |column: Option<u32>| Loc { column, ..row };
        let spec = &*self.spec;
        if nend != spec.columns.len() {
            f.ragged_rows.add(loc(None));
        }
        // UTF-8 is validated once per record rather than once per field: a field of a valid
        // record is valid when it starts and ends on character boundaries, which `str::get`
        // checks (a field cut inside a character falls back to `decode_field`).
        let out = &self.out[..nout];
        let record = match spec.encoding {
            Encoding::Windows1252 => None,
            _ => std::str::from_utf8(out).ok(),
        };
        // The text cells of a record that is not too long refer to one copy of the whole
        // record in the batch, stored at the first of them, instead of one copy each.
        let share = nout <= SHARED_RECORD_BYTES;
        let mut shared: Option<Span> = None;
        let transcoded = self.utf16.is_some();
        let (cells, text) = self.batch.parts_mut();
        let mut ends = self.ends[..nend].iter();
        let mut start = 0;
        for (c, (&kind, dst)) in self.kinds.iter().zip(cells).enumerate() {
            let Some(&end) = ends.next() else {
                dst.push(Cell::Missing(crate::ingest::value::MISSING_ABSENT));
                continue;
            };
            let field = start.min(end)..end.min(nout);
            start = field.end;
            if kind == Kind::Skip {
                dst.push(Cell::Missing(crate::ingest::value::MISSING_ABSENT));
                continue;
            }
            let cell = match record.and_then(|r| r.get(field.clone())) {
                // The common case: the field is valid text within the record.
                Some(s) if !transcoded => match parse_into(spec, kind, s, &mut |cell| dst.push(cell)) {
                    Parsed::Value(_) => continue, // pushed
                    kind => {
                        let span = match record.filter(|_| share) {
                            Some(r) => shared.get_or_insert_with(|| Batch::push_into(text, r)).slice(field),
                            None => Batch::push_into(text, s),
                        };
                        if matches!(kind, Parsed::Invalid) {
                            f.unparseable_cells.add(loc(Some(c as u32)));
                            Cell::Invalid(span)
                        } else {
                            Cell::Text(span)
                        }
                    }
                },
                in_record => {
                    let (s, fallback) = match in_record {
                        Some(t) => (Cow::Borrowed(t), false),
                        None => decode_field(spec.encoding, &out[field]),
                    };
                    // UTF-16 is transcoded before parsing; undecodable code units became U+FFFD.
                    if fallback || (transcoded && s.contains('\u{FFFD}')) {
                        f.undecodable_fields.add(loc(Some(c as u32)));
                    }
                    match classify(spec, kind, &s) {
                        Parsed::Value(cell) => cell,
                        Parsed::Text => Cell::Text(Batch::push_into(text, &s)),
                        Parsed::Invalid => {
                            f.unparseable_cells.add(loc(Some(c as u32)));
                            Cell::Invalid(Batch::push_into(text, &s))
                        }
                    }
                }
            };
            dst.push(cell);
        }
        self.batch.end_row();
        if self.batch.is_full() {
            sink(&self.batch);
            self.batch.clear();
        }
    }
}
