// Where this browser keeps the last settings used for a header: the spec (column types and
// roles, bias audit, checks, DP plan and the other options — what "Download spec" writes,
// which can include values you typed, such as the positive label), in localStorage under
// this page's origin, keyed by the SHA-256 of the file's column names that the engine
// computes (preview.header_key). Never a row of the file, never its name. Saved when a run
// starts; offered when a file with the same header is opened; forgotten on request.
// Without localStorage (some file:// or private-mode settings) they live in memory for
// this tab, and the page says so.

const PREFIX = 'privaudit.settings.';

const memory = new Map();
let persistent = null;

function storage() {
  if (persistent === null) {
    try {
      const probe = `${PREFIX}probe`;
      localStorage.setItem(probe, '1');
      localStorage.removeItem(probe);
      persistent = true;
    } catch {
      persistent = false;
    }
  }
  return persistent ? localStorage : null;
}

/** Where settings are kept, in words for the page. */
export function where() {
  return storage()
    ? "this browser's localStorage for this page's origin"
    : 'this tab only (this browser does not allow localStorage here)';
}

/** The settings saved for `key`: {spec, savedAt} or null. */
export function load(key) {
  if (!key) return null;
  const s = storage();
  const text = s ? s.getItem(PREFIX + key) : memory.get(key);
  if (!text) return null;
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && value.spec ? value : null;
  } catch {
    return null;
  }
}

/** Saves `spec` as the settings for `key` (the run-only keys left out). */
export function save(key, spec) {
  if (!key || !spec) return;
  const { mode, drift, ...kept } = spec;
  const text = JSON.stringify({ spec: kept, savedAt: new Date().toISOString() });
  const s = storage();
  if (s) {
    try {
      s.setItem(PREFIX + key, text);
      return;
    } catch {
      // Quota or policy: fall back to this tab.
    }
  }
  memory.set(key, text);
}

/** Forgets the settings of `key`. */
export function forget(key) {
  memory.delete(key);
  const s = storage();
  if (s) s.removeItem(PREFIX + key);
}

/** Forgets the settings of every header; returns how many were forgotten. */
export function forgetAll() {
  let n = memory.size;
  memory.clear();
  const s = storage();
  if (s) {
    const keys = [];
    for (let i = 0; i < s.length; i += 1) {
      const k = s.key(i);
      if (k && k.startsWith(PREFIX)) keys.push(k);
    }
    for (const k of keys) s.removeItem(k);
    n += keys.length;
  }
  return n;
}

const $ = (id) => document.getElementById(id);

/** The preview step's offer of the saved settings, where they are kept, and the controls
 *  that forget them. */
export class SavedSettings {
  /** ctx: {headerKey(): the engine's header key, apply(spec): use a saved spec} */
  constructor(ctx) {
    this.ctx = ctx;
    this.saved = null;
    $('reuse-apply').addEventListener('click', () => {
      $('reuse').hidden = true;
      if (this.saved) this.ctx.apply(this.saved.spec);
    });
    $('reuse-forget').addEventListener('click', () => this.forget(false));
    $('settings-forget').addEventListener('click', () => this.forget(false));
    $('settings-forget-all').addEventListener('click', () => this.forget(true));
  }

  /** After a file is opened: offers the settings saved for its header, if any. */
  offer() {
    this.saved = load(this.ctx.headerKey());
    $('reuse').hidden = !this.saved;
    $('settings-note').textContent = '';
    if (this.saved) {
      const when = new Date(this.saved.savedAt);
      $('reuse-text').textContent = 'A file with the same columns was run in this browser before (settings saved'
        + `${Number.isNaN(when.getTime()) ? '' : ` on ${when.toLocaleString('en-GB')}`}: roles, bias audit, checks, DP plan and options).`;
    }
  }

  /** When a run starts: keeps `spec` for this header. */
  save(spec) {
    save(this.ctx.headerKey(), spec);
    $('reuse').hidden = true;
  }

  render() {
    $('settings-where').textContent = `Settings are saved in ${where()} when you run, under a SHA-256 of this`
      + " file's column names (never a row of the file), and offered for files with the same header.";
  }

  forget(all) {
    const n = all ? forgetAll() : (forget(this.ctx.headerKey()), 1);
    $('reuse').hidden = true;
    this.saved = null;
    $('settings-note').textContent = all ? `Forgot the saved settings of ${n} header${n === 1 ? '' : 's'}.` : 'Forgot the saved settings of this header.';
  }
}
