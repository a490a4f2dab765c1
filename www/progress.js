// The running step's progress line: bytes read, rate, time left, workers, the SHA-256's
// progress and the phase, drawn at most once per animation frame.

const $ = (id) => document.getElementById(id);

function formatSeconds(s) {
  if (!Number.isFinite(s)) return '…';
  if (s < 1) return 'under a second';
  if (s < 60) return `${Math.round(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

const PHASES = {
  reading: 'Reading the file…',
  checking: 'Checking where the parts of the file meet…',
  hashing: 'Finishing the SHA-256 fingerprint…',
  finishing: 'Merging the parts and writing the report…',
  releasing: 'Drawing the noise and writing the DP summary…',
};

export class Progress {
  /** formatBytes(n): bytes in words. */
  constructor(formatBytes) {
    this.formatBytes = formatBytes;
    this.frame = 0;
    this.last = null;
    this.start = 0;
  }

  /** A new run (or the next file of a run) starts now: its rate and ETA count from here. */
  restart() {
    this.start = performance.now();
  }

  reset() {
    this.last = null;
    this.restart();
  }

  /** onProgress({bytesDone, bytesTotal, hashDone, phase, workers, reference}). */
  update(progress) {
    this.last = progress;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.render());
  }

  stop() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  render() {
    this.frame = 0;
    const p = this.last;
    if (!p) return;
    const fraction = p.bytesTotal ? p.bytesDone / p.bytesTotal : 1;
    $('progress').value = fraction;
    const seconds = (performance.now() - this.start) / 1000;
    const rate = seconds > 0 ? p.bytesDone / seconds : 0;
    const eta = rate > 0 ? (p.bytesTotal - p.bytesDone) / rate : Infinity;
    $('progress-text').textContent = `${this.formatBytes(p.bytesDone)} of ${this.formatBytes(p.bytesTotal)} · `
      + `${(rate / 1e6).toFixed(1)} MB/s · ${p.bytesDone >= p.bytesTotal ? 'done' : `about ${formatSeconds(eta)} left`}`
      + ` · ${p.workers} worker${p.workers === 1 ? '' : 's'}`;
    $('hash-text').textContent = p.reference ? '' : `SHA-256 fingerprint: ${Math.floor((p.bytesTotal ? p.hashDone / p.bytesTotal : 1) * 100)}%`;
    const pass = /^pass (\d+)$/.exec(p.phase || '');
    let phase = PHASES[p.phase] || (pass ? `Pass ${pass[1]}: reading the file again for exact quantiles…` : '');
    if (p.reference) phase = `${p.reference[0].toUpperCase()}${p.reference.slice(1)}: ${phase}`;
    if ($('run-phase').textContent !== phase) $('run-phase').textContent = phase;
  }
}
