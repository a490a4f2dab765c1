// Parquet in the worker: the file is never read whole. The footer is read from its end
// (File.slice(size − 8), then the footer), then one row group's bytes at a time; the
// Parquet module (a second wasm module, loaded only now) turns them into the wire format
// that the engine's Session reads like any other bytes of a range.

import { makeError } from './protocol.js';
import { loadParquet } from './wasm.js';

/** Rows of the first row group the preview reads (as for CSV). */
const PREVIEW_ROWS = 2000;
/** Rows per wire message: a row group is decoded a slice at a time (as natively). */
const SLICE_ROWS = 16384;

const readers = new Map(); // file key → Promise<Reader> (a few files at most)

async function readSlice(file, start, end) {
  return new Uint8Array(await file.slice(start, end).arrayBuffer());
}

let module = null; // the Parquet module, once loaded (for lastPanic)

/** The Parquet module's errors are sentences about the file. A panic inside the reader
 *  (a malformed file the parquet crate does not check) traps: the sentence is the CLI's,
 *  with the panic's message the module kept. */
function damaged(e) {
  if (e instanceof WebAssembly.RuntimeError) {
    const why = (module && module.lastPanic && module.lastPanic()) || e.message;
    return makeError('format', `The file is a damaged Parquet file: the Parquet reader failed on it (${why}).`);
  }
  if (e && typeof e === 'object' && typeof e.message === 'string') return e;
  return makeError('format', `The file is a damaged Parquet file: ${e}.`);
}

/** Frees a decoder; after a trap inside it the module still marks it borrowed, and
 *  freeing throws: it is left to the garbage collector then (the sentence stands). */
function freeAfterTrap(d) {
  try {
    if (d) d.free();
  } catch {
    // trapped: nothing to free safely
  }
}

/** True when `file` is Parquet (by content, whatever its name). */
export async function isParquet(engine, file) {
  return engine.is_parquet(await readSlice(file, 0, Math.min(file.size, 4096)));
}

/** The parsed footer of `file` (memoised per file). */
function reader(file) {
  const key = `${file.name}\u0000${file.size}\u0000${file.lastModified}`;
  if (!readers.has(key)) {
    const ready = (async () => {
      const pq = await loadParquet();
      module = pq;
      try {
        if (file.size < 12) throw new Error(`it is only ${file.size} bytes long, shorter than a Parquet header and footer`);
        const len = pq.footerLength(await readSlice(file, file.size - 8, file.size), file.size);
        return new pq.Reader(await readSlice(file, file.size - 8 - len, file.size - 8), file.size);
      } catch (e) {
        throw damaged(e instanceof Error && !(e instanceof WebAssembly.RuntimeError) ? e.message : e);
      }
    })();
    if (readers.size >= 4) readers.clear();
    readers.set(key, ready);
    ready.catch(() => readers.delete(key));
  }
  return readers.get(key);
}

/** The meta message of `file` (columns, row groups), for plan_parquet. */
export async function parquetMeta(file) {
  return (await reader(file)).meta();
}

/** The preview input: the meta message, then the first row group's first rows. */
export async function parquetPreviewInput(file) {
  const r = await reader(file);
  const meta = r.meta();
  if (r.groups() === 0) return meta;
  const [start, end] = r.extent(0);
  let group;
  let d = null;
  try {
    d = r.open(0, await readSlice(file, start, end), start, PREVIEW_ROWS);
    group = d.next(PREVIEW_ROWS) || new Uint8Array(0);
  } catch (e) {
    throw damaged(e);
  } finally {
    freeAfterTrap(d);
  }
  const input = new Uint8Array(meta.length + group.length);
  input.set(meta, 0);
  input.set(group, meta.length);
  return input;
}

/** The wire messages of every row group whose first byte is in [start, end), in order,
 *  a slice of rows each, with the file bytes they came from (a group's bytes count with its
 *  first slice): {wire, bytes}. One row group's bytes and one slice in memory at a time. */
export async function* parquetGroups(file, start, end) {
  const r = await reader(file);
  for (let i = 0; i < r.groups(); i += 1) {
    const [s, e] = r.extent(i);
    if (s < start || s >= end) continue;
    let d;
    try {
      d = r.open(i, await readSlice(file, s, e), s, undefined);
    } catch (err) {
      throw damaged(err);
    }
    try {
      let bytes = e - s;
      for (;;) {
        let wire;
        try {
          wire = d.next(SLICE_ROWS);
        } catch (err) {
          throw damaged(err);
        }
        if (wire === undefined) break;
        yield { wire, bytes };
        bytes = 0;
      }
    } finally {
      freeAfterTrap(d);
    }
  }
}
