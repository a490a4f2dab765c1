//! The second wasm module's interface: the page instantiates it only when a Parquet file
//! is opened, reads the footer (`footer_length` on the last 8 bytes, then `Reader::new`),
//! and decodes one row group's bytes (`File.slice` of its extent) at a time into the wire
//! format it passes to privaudit's module, a slice of rows at a time.

use crate::RowGroups;
use wasm_bindgen::prelude::*;

fn js(e: String) -> JsValue {
    JsValue::from_str(&e)
}

/// The footer's length from the file's last 8 bytes.
#[wasm_bindgen(js_name = footerLength)]
pub fn footer_length(tail: &[u8], file_size: f64) -> Result<f64, JsValue> {
    crate::footer_length(tail, file_size as u64).map(|n| n as f64).map_err(js)
}

/// A parsed footer.
#[wasm_bindgen]
pub struct Reader(RowGroups);

#[wasm_bindgen]
impl Reader {
    /// Parses the footer (the bytes before the last 8) of a file of `file_size` bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(footer: &[u8], file_size: f64) -> Result<Reader, JsValue> {
        RowGroups::new(footer, file_size as u64).map(Reader).map_err(js)
    }

    /// The meta message (columns, skipped columns, row groups, notes).
    pub fn meta(&self) -> Vec<u8> {
        self.0.meta_wire()
    }

    /// Number of row groups.
    pub fn groups(&self) -> u32 {
        self.0.len() as u32
    }

    /// The byte extent `[start, end)` of row group `i`.
    pub fn extent(&self, i: u32) -> Vec<f64> {
        self.0.extent(i as usize).map_or_else(Vec::new, |(s, e)| vec![s as f64, e as f64])
    }

    /// Opens row group `i` from `bytes` (starting at file byte `offset`), to decode at
    /// most `max_rows` rows when given (the preview), a slice at a time.
    pub fn open(&self, i: u32, bytes: Vec<u8>, offset: f64, max_rows: Option<u32>) -> Result<GroupDecoder, JsValue> {
        self.0.open(i as usize, bytes.into(), offset as u64, max_rows.map(|m| m as usize)).map(GroupDecoder).map_err(js)
    }
}

/// A row group being decoded.
#[wasm_bindgen]
pub struct GroupDecoder(crate::GroupDecoder);

#[wasm_bindgen]
impl GroupDecoder {
    /// The wire message of the next at most `max_rows` rows; `undefined` at the end.
    pub fn next(&mut self, max_rows: u32) -> Result<Option<Vec<u8>>, JsValue> {
        self.0.next_slice(max_rows as usize).map_err(js)
    }
}

std::thread_local! {
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Keeps the message of a panic (a malformed file the `parquet` crate does not check:
/// in wasm the panic traps, and the page turns the trap into the same sentence the CLI
/// gives, with this message, as natively `catch_unwind` does).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()));
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(what.unwrap_or_else(|| "no reason given".into())));
    }));
}

/// The message of the last panic, taken (`undefined` when there was none).
#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> Option<String> {
    LAST_PANIC.with(|p| p.borrow_mut().take())
}
