//! wasm32 exports (no wasm-bindgen): `alloc`, `prepare`, `run`; the clock comes from JS.

use super::*;
use std::cell::RefCell;

extern "C" {
    fn now_ms() -> f64;
}

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static RECS: RefCell<Option<Records>> = const { RefCell::new(None) };
}

/// Makes room for `len` input bytes and returns where to write them.
#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    INPUT.with(|i| {
        let mut i = i.borrow_mut();
        i.resize(len, 0);
        i.as_mut_ptr()
    })
}

/// Splits the input into records; returns how many.
#[no_mangle]
pub extern "C" fn prepare() -> usize {
    let recs = INPUT.with(|i| Records::parse(&i.borrow()));
    let n = recs.len();
    RECS.with(|r| *r.borrow_mut() = Some(recs));
    n
}

/// 1 when the module was built with the `arrow` variant.
#[no_mangle]
pub extern "C" fn has_arrow() -> u32 {
    u32::from(cfg!(feature = "arrow"))
}

static mut OUT: [f64; 4] = [0.0; 4];

/// Runs variant 0 (hand) or 1 (arrow); returns a pointer to [build ms, loop ms, text ms, checksum].
#[no_mangle]
pub extern "C" fn run(variant: u32) -> *const f64 {
    let now = || unsafe { now_ms() } / 1000.0;
    let (b, h, x, c) = RECS.with(|r| {
        let r = r.borrow();
        let Some(recs) = r.as_ref() else { return (0.0, 0.0, 0.0, 0.0) };
        let mut t = Totals::default();
        let (b, h, x) = match variant {
            #[cfg(feature = "arrow")]
            1 => super::arrow::run(recs, &mut t, &now),
            _ => super::hand::run(recs, &mut t, &now),
        };
        (b, h, x, t.checksum())
    });
    unsafe {
        OUT = [b * 1000.0, h * 1000.0, x * 1000.0, c];
        std::ptr::addr_of!(OUT) as *const f64
    }
}
