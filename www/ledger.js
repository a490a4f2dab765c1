// The local DP ledger: every DP summary released in this browser, keyed by the
// SHA-256 of the file, kept in IndexedDB. Releasing again spends more budget (the
// old release is not taken back), so the page warns before it happens.
// When IndexedDB is unavailable (some file:// or private-mode settings), the
// ledger lives in memory for this tab and says so.

const DB_NAME = 'privaudit';
const STORE = 'dp_releases';

let memory = null; // fallback: [{sha256, ...}]

function open() {
  return new Promise((resolve, reject) => {
    if (!globalThis.indexedDB) {
      reject(new Error('IndexedDB is not available'));
      return;
    }
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
      store.createIndex('sha256', 'sha256');
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

/** Whether releases are remembered across sessions (false: this tab only). */
export function persistent() {
  return memory === null;
}

/** The releases recorded for a file: [{sha256, released_at, epsilon, delta, releases}]. */
export async function entriesFor(sha256) {
  if (memory === null) {
    try {
      const db = await open();
      const index = db.transaction(STORE).objectStore(STORE).index('sha256');
      const rows = await done(index.getAll(sha256));
      db.close();
      return rows;
    } catch {
      memory = [];
    }
  }
  return memory.filter((e) => e.sha256 === sha256);
}

/** Records a release. */
export async function record(entry) {
  if (memory === null) {
    try {
      const db = await open();
      await done(db.transaction(STORE, 'readwrite').objectStore(STORE).add(entry));
      db.close();
      return;
    } catch {
      memory = [];
    }
  }
  memory.push(entry);
}
