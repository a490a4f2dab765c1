// Where this browser keeps its DP ledger: one privaudit.dp-ledger/1 document (JSON
// text, made and checked by the engine), in IndexedDB under this page's origin. The
// served page and the offline file are different origins, so each keeps its own copy:
// export it from one and import it into the other (or give it to `privaudit dp
// --ledger`) to count every release of the same file once. This module only stores
// the text; the engine reads, checks, merges and appends.
// When IndexedDB is unavailable (some file:// or private-mode settings), the ledger
// lives in memory for this tab and the page says so.

const DB_NAME = 'privaudit';
const STORE = 'dp_ledger';
const KEY = 'ledger';

let memory = null; // fallback: the ledger's text, or '' before anything was stored

function open() {
  return new Promise((resolve, reject) => {
    if (!globalThis.indexedDB) {
      reject(new Error('IndexedDB is not available'));
      return;
    }
    // Version 2: one ledger document. (Version 1's per-release store, from before the
    // ledger had a schema, is left as it was and no longer read.)
    const request = indexedDB.open(DB_NAME, 2);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Whether the ledger is remembered across sessions (false: this tab only). */
export function persistent() {
  return memory === null;
}

/** The stored ledger's text ('' when none was stored yet). */
export async function load() {
  if (memory === null) {
    try {
      const db = await open();
      const text = await done(db.transaction(STORE).objectStore(STORE).get(KEY));
      db.close();
      return typeof text === 'string' ? text : '';
    } catch {
      memory = '';
    }
  }
  return memory;
}

/** Replaces the stored ledger with `text`. */
export async function save(text) {
  if (memory === null) {
    try {
      const db = await open();
      await done(db.transaction(STORE, 'readwrite').objectStore(STORE).put(text, KEY));
      db.close();
      return;
    } catch {
      memory = '';
    }
  }
  memory = text;
}
