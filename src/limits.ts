// How big and how deep a snapshot, rubric or roster may be, checked before any recursive
// reader, so a hostile file is refused with exit 2 instead of exhausting the heap or the stack.
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { UsageError } from './errors.js';

const MiB = 1024 * 1024;

/** Documented in docs/usage.md ("Limits"). */
export const INPUT_LIMITS = {
  /** The complete example is about 60 KB; a large real account a few MB. */
  snapshotBytes: 50 * MiB,
  rubricBytes: 1 * MiB,
  /** Enough for tens of thousands of students. */
  rosterBytes: 5 * MiB,
  /** Nesting of objects and arrays; AWS's answers nest about 10 deep. */
  depth: 64,
} as const;

function tooLarge(file: string, size: number, limit: number, what: string): UsageError {
  const mb = (bytes: number) => `${(bytes / MiB).toFixed(bytes < MiB ? 2 : 0)} MB`;
  return new UsageError(`${file}: ${mb(size)} is larger than a ${what} may be (${mb(limit)}); is this the right file?`);
}

/** How `readLimited` opens a file: as it is (a pipe may be read, `--snapshot /dev/stdin`), or only a regular file. */
export interface ReadOptions {
  /**
   * Refuse anything but a regular file, and open it without waiting: a named pipe with nobody
   * writing to it would hold the open forever (and a grading thread with it, which nothing can stop).
   */
  regularFile?: boolean;
}

/** What `stats` is, when it is not a regular file, as the error's code says it (`a named pipe`). */
function otherThanFile(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'a device';
}

/** Thrown for what is not a regular file under `regularFile`; its code names what it is. */
function notAFile(file: string, stats: Stats): NodeJS.ErrnoException {
  const kind = otherThanFile(stats);
  return Object.assign(new Error(`${file} is ${kind}, not a file`), { code: `${kind}, not a file` });
}

/** A named pipe opens at once, whether or not something writes to it; a regular file as always. */
const OPEN_WITHOUT_WAITING = constants.O_RDONLY | constants.O_NONBLOCK;

/** The file's bytes, refused before reading when larger than `limit`. Read errors are thrown as they are. */
export function readLimitedSync(file: string, limit: number, what: string, options: ReadOptions = {}): Buffer {
  const fd = openSync(file, options.regularFile ? OPEN_WITHOUT_WAITING : 'r');
  try {
    const stats = fstatSync(fd);
    if (options.regularFile && !stats.isFile()) throw notAFile(file, stats);
    if (stats.size > limit) throw tooLarge(file, stats.size, limit, what);
    const bytes = readFileSync(fd);
    // A file that grew after the check (or a pipe, whose size is 0) is still held to the limit.
    if (bytes.length > limit) throw tooLarge(file, bytes.length, limit, what);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

export async function readLimited(file: string, limit: number, what: string, options: ReadOptions = {}): Promise<Buffer> {
  const handle = await open(file, options.regularFile ? OPEN_WITHOUT_WAITING : 'r');
  try {
    const stats = await handle.stat();
    if (options.regularFile && !stats.isFile()) throw notAFile(file, stats);
    if (stats.size > limit) throw tooLarge(file, stats.size, limit, what);
    const bytes = await handle.readFile();
    if (bytes.length > limit) throw tooLarge(file, bytes.length, limit, what);
    return bytes;
  } finally {
    await handle.close();
  }
}

/** 1-based line and column of `offset`, counted in place: no copy of the text. */
export function lineColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
    line += 1;
    lineStart = at + 1;
  }
  return `${line}:${offset - lineStart + 1}`;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The offset where JSON text nests deeper than `maxDepth`, or -1; strings are skipped. */
export function jsonDepthOffset(text: string, maxDepth: number): number {
  let depth = 0;
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      // A string is skipped to the quote that ends it, found with indexOf (a third less time than
      // looking at each of its characters): the first one after an even number of backslashes.
      for (;;) {
        at = text.indexOf('"', at + 1);
        if (at === -1) return -1;
        let backslashes = 0;
        while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes += 1;
        if (backslashes % 2 === 0) break;
      }
    } else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > maxDepth) return at;
    } else if (code === 0x5d || code === 0x7d) {
      depth -= 1;
    }
  }
  return -1;
}

/** Whether a value JSON.parse made nests deeper than `maxDepth` arrays and objects: jsonDepthOffset's answer for its text. */
export function nestsDeeper(value: unknown, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (maxDepth === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestsDeeper(item, maxDepth - 1)) return true;
    return false;
  }
  // for...in: JSON's objects have only their own keys.
  for (const key in value) if (nestsDeeper((value as Record<string, unknown>)[key], maxDepth - 1)) return true;
  return false;
}

/**
 * The offset where YAML text may nest deeper than `maxDepth`, or -1: flow collections
 * (`[[[`) counted outside quotes and comments, and block nesting bounded by how far a line's
 * indentation and indicators (`- - -`) reach. Conservative: the parser would recurse there.
 */
export function yamlDepthOffset(text: string, maxDepth: number): number {
  let flow = 0;
  let lineStart = true;
  let prefix = 0;
  let nodeStart = true;
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at];
    if (char === '\n') {
      lineStart = true;
      prefix = 0;
      nodeStart = true;
      continue;
    }
    if (lineStart) {
      if (char === ' ' || char === '\t' || char === '-' || char === '?' || char === ':') {
        prefix += 1;
        // Two columns a level is what people write; four leaves room for any indentation style.
        if (prefix > maxDepth * 4) return at;
        continue;
      }
      lineStart = false;
    }
    if (char === '#' && (at === 0 || /\s/.test(text[at - 1] ?? ''))) {
      const end = text.indexOf('\n', at);
      if (end === -1) break;
      at = end - 1;
      continue;
    }
    if (char === '"' || char === "'") {
      // Skip a quoted scalar; a quote inside a plain scalar ("it's") is not one.
      if (!nodeStart && flow === 0) continue;
      for (at += 1; at < text.length; at += 1) {
        if (char === '"' && text[at] === '\\') at += 1;
        else if (text[at] === char) {
          if (char === "'" && text[at + 1] === "'") at += 1;
          else break;
        }
      }
      nodeStart = false;
      continue;
    }
    if ((char === '[' || char === '{') && (flow > 0 || nodeStart)) {
      flow += 1;
      if (flow > maxDepth) return at;
      nodeStart = true;
      continue;
    }
    if ((char === ']' || char === '}') && flow > 0) {
      flow -= 1;
      continue;
    }
    if (char === ' ' || char === '\t') continue;
    // After an indicator a new node may start: `- [`, `key: [`, `? {`, or `,` inside a flow.
    nodeStart = ((char === '-' || char === ':' || char === '?') && /\s/.test(text[at + 1] ?? ' ')) || (flow > 0 && char === ',');
  }
  return -1;
}

/** Throws exit 2 when `text` (JSON or YAML) nests deeper than the limit, naming where. */
export function assertShallow(text: string, file: string, syntax: 'json' | 'yaml', what: string): void {
  const offset = syntax === 'json' ? jsonDepthOffset(text, INPUT_LIMITS.depth) : yamlDepthOffset(text, INPUT_LIMITS.depth);
  if (offset !== -1) {
    throw new UsageError(`${file}:${lineColumn(text, offset)}: nested more than ${INPUT_LIMITS.depth} levels deep, more than a ${what} ever is; is this the right file?`);
  }
}
