// What kind of file the engine detected (by content, not by name), for the preview.
// The engine decides everything; this only words it.

const FORMATS = {
  csv: 'CSV (delimited text)',
  jsonl: 'JSON Lines',
  xlsx: 'Excel workbook',
  xls: 'Excel 97-2003 workbook',
  ods: 'OpenDocument spreadsheet',
};

/** The preview's format in words, e.g. "JSON Lines, gzip-compressed". */
export function formatLabel(preview) {
  const input = (preview.spec && preview.spec.input) || {};
  const name = FORMATS[preview.format] || preview.format || FORMATS.csv;
  return input.compression === 'gzip' ? `${name}, gzip-compressed` : name;
}
