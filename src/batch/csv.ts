// RFC 4180 CSV: reading rosters and writing the gradebook.
import { neutralizeControls } from '../report/safe-text.js';

export interface CsvRecord {
  /** Line of the file where the record starts (1-based). */
  line: number;
  cells: string[];
}

/**
 * Parses RFC 4180 text: comma-separated, `"` quotes cells that hold commas, quotes or line
 * breaks, `""` is a quote inside a quoted cell; CRLF or LF line ends; blank lines are skipped.
 * Throws with the line of an unterminated quote.
 */
export function parseCsv(text: string): CsvRecord[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let sawAny = false;
  const endRecord = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '' && !sawAny)) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    sawAny = false;
  };
  for (let index = 0; index < source.length; index += 1) {
    const character = source[index]!;
    if (quoted) {
      if (character === '"') {
        if (source[index + 1] === '"') {
          cell += '"';
          index += 1;
        } else {
          quoted = false;
        }
      } else {
        if (character === '\n') line += 1;
        cell += character;
      }
      continue;
    }
    if (character === '"' && cell === '') {
      quoted = true;
      quoteLine = line;
      sawAny = true;
    } else if (character === ',') {
      cells.push(cell);
      cell = '';
      sawAny = true;
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && source[index + 1] === '\n') index += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      cell += character;
      sawAny = true;
    }
  }
  if (quoted) throw new SyntaxError(`line ${quoteLine}: a quoted cell is never closed (a " is missing)`);
  if (cell !== '' || cells.length > 0 || sawAny) endRecord();
  return records;
}

// A cell starting with one of these is run as a formula by spreadsheet programs.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text made inert for spreadsheets: one line (line breaks shown as `\n`), and a leading = + - @ (or tab) gets a `'`. */
function inert(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : neutralizeControls(value);
  return typeof value === 'string' && FORMULA_START.test(text) ? `'${text}` : text;
}

const quoted = (text: string): string => `"${text.replace(/"/g, '""')}"`;

/**
 * Text every step of csvCell leaves as it is: letters, digits, `_`, `.`, `:` and, after the
 * first character, `-` (points, ids, hashes, versions, times: most cells of a gradebook).
 */
const PLAIN_CELL = /^[\w.:][\w.:-]*$/;

/**
 * One cell as RFC 4180 writes it, made inert for spreadsheets (one line, no formula); numbers
 * are written as numbers.
 */
export function csvCell(value: string | number | undefined): string {
  if (typeof value === 'string' && PLAIN_CELL.test(value)) return value;
  const text = inert(value);
  return /[",\r\n]/.test(text) ? quoted(text) : text;
}

/** A record; `quoteAll` quotes every cell (Blackboard asks for every value of a comma-separated file in quotes). */
export function csvLine(values: readonly (string | number | undefined)[], quoteAll = false): string {
  return `${values.map((value) => (quoteAll ? quoted(inert(value)) : csvCell(value))).join(',')}\r\n`;
}
