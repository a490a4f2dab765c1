// Small parts of the page: the message line (errors and notices), sizes in words, the drop
// zone. UI only.

const $ = (id) => document.getElementById(id);
const numberFormat = new Intl.NumberFormat('en');

/** Bytes in words: "512 bytes", "1.25 MB". */
export function formatBytes(n) {
  if (n < 1000) return `${numberFormat.format(n)} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = n / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** Shows `message` as an error (role alert) or, with kind 'info', a notice (role status). */
export function showAlert(message, kind = 'error') {
  $('alert-text').textContent = message;
  $('alert').classList.toggle('info', kind === 'info');
  $('alert').setAttribute('role', kind === 'info' ? 'status' : 'alert');
  $('alert').hidden = false;
}

/** An engine or browser error in words. */
export function showError(error) {
  let message = error && typeof error.message === 'string' ? error.message : String(error);
  if (error && error.kind === 'NotReadableError') {
    message = 'The file could not be read again: it changed or moved since it was chosen. Choose it again'
      + ' (the settings are offered again for a file with the same header).';
  }
  showAlert(message, 'error');
}

export function clearAlert() {
  $('alert').hidden = true;
  $('alert-text').textContent = '';
}

/** Files dropped on the drop zone go to `onFile`; dropped elsewhere, they are ignored (the
 *  browser would otherwise navigate to them). */
export function wireDropZone(onFile) {
  const zone = $('drop-zone');
  for (const type of ['dragover', 'drop']) window.addEventListener(type, (e) => e.preventDefault());
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dragging');
    const file = e.dataTransfer && e.dataTransfer.files[0];
    if (file) onFile(file);
  });
}
