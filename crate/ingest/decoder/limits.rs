//! The decoder's limits: a field over the size limit or a record with too many fields is
//! an error (the file cannot be read within bounded memory); the output buffers grow up
//! to them.

use super::{Decoder, Phase, MAX_FIELDS_PER_RECORD};
use crate::error::{Error, ErrorKind, Position, Result};

impl Decoder {
    /// The error for field `c` of the current record being over the limit.
    pub(super) fn too_long(&self, c: usize) -> Error {
        let column = self.spec.columns.get(c).map(|c| c.name.clone());
        // `rows` counts from the start of this decoder's segment: they are file rows only
        // when the segment starts the file. Elsewhere the byte offset alone locates it.
        let row = (self.phase == Phase::Records && self.seg_start == Some(0)).then_some(self.rows + 1);
        let byte = self.utf16.is_none().then_some(self.record_start);
        Error::new(ErrorKind::FieldTooLong { limit: self.spec.max_field_bytes }, Position { byte, row, column })
    }

    /// Errs when a field of the record just read is over the limit. (`grow_out` only
    /// bounds memory: it looks when the output buffer is full, which is 64 KiB at first.)
    pub(super) fn check_field_lengths(&self) -> Result<()> {
        if self.nout as u64 <= self.spec.max_field_bytes {
            return Ok(()); // no field is longer than the record
        }
        let mut start = 0;
        for (c, &end) in self.ends[..self.nend].iter().enumerate() {
            if (end - start) as u64 > self.spec.max_field_bytes {
                return Err(self.too_long(c));
            }
            start = end;
        }
        Ok(())
    }

    pub(super) fn grow_out(&mut self) -> Result<()> {
        let field_start = if self.nend == 0 { 0 } else { self.ends[self.nend - 1] };
        if (self.nout - field_start) as u64 > self.spec.max_field_bytes {
            return Err(self.too_long(self.nend));
        }
        let n = self.out.len() * 2;
        self.out.resize(n, 0);
        Ok(())
    }

    pub(super) fn grow_ends(&mut self) -> Result<()> {
        if self.ends.len() >= MAX_FIELDS_PER_RECORD {
            return Err(Error::new(
                ErrorKind::TooManyFields { limit: MAX_FIELDS_PER_RECORD as u64 },
                Position::at_byte(self.record_start),
            ));
        }
        let n = self.ends.len() * 2;
        self.ends.resize(n, 0);
        Ok(())
    }
}
