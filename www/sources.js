// What kind of file the engine detected (by content, not by name), for the preview.
// The engine decides everything; this only words it.

const FORMATS = {
  csv: 'CSV (delimited text)',
  jsonl: 'JSON Lines',
  xlsx: 'Excel workbook',
  xls: 'Excel 97-2003 workbook',
  ods: 'OpenDocument spreadsheet',
  parquet: 'Parquet',
};

/** The preview's format in words, e.g. "JSON Lines, gzip-compressed". */
export function formatLabel(preview) {
  const input = (preview.spec && preview.spec.input) || {};
  const name = FORMATS[preview.format] || preview.format || FORMATS.csv;
  return input.compression === 'gzip' ? `${name}, gzip-compressed` : name;
}

/** True for a workbook (xlsx, xls, ods): no delimiter, quote or line ending to show. */
export function isWorkbook(preview) {
  return ['xlsx', 'xls', 'ods'].includes(preview.format);
}

/**
 * Adds the workbook's sheet to the preview's facts: its name, or a list of the
 * workbook's sheets when it has several; choosing one previews that sheet afresh
 * (its own columns, header and types), through `onChoose(spec)`.
 */
export function addSheetFact(facts, preview, onChoose) {
  const sheets = preview.sheets || [];
  const current = ((preview.spec && preview.spec.input) || {}).sheet;
  if (!isWorkbook(preview) || !current) return;
  const dt = document.createElement('dt');
  dt.textContent = 'Sheet';
  const dd = document.createElement('dd');
  if (sheets.length < 2) {
    dd.textContent = current;
  } else {
    const select = document.createElement('select');
    select.id = 'sheet-select';
    select.setAttribute('aria-label', `Sheet to read (the workbook has ${sheets.length} sheets)`);
    for (const name of sheets) {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = name;
      select.append(option);
    }
    select.value = current;
    select.addEventListener('change', () => onChoose({ input: { sheet: select.value } }));
    dd.append(select);
  }
  facts.append(dt, dd);
}
