// Choosing formats from --format, and writing the report files.
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { FORMATS, parseFormats, renderReport, writeReports } from '../../src/report/index.js';
import type { Scorecard } from '../../src/grade/scorecard.js';
import fc from 'fast-check';
import { makeScorecardSafe, neutralizeControls, oneLine, safeScorecard } from '../../src/report/safe-text.js';
import { findSecret, redactSecrets } from '../../src/secrets.js';
import { scorecard } from './support.js';

describe('parseFormats', () => {
  it.each([
    ['console', ['console']],
    ['console,json', ['console', 'json']],
    [' JUnit , markdown ,', ['junit', 'markdown']],
    ['json,json,gradescope', ['json', 'gradescope']],
    [FORMATS.join(','), [...FORMATS]],
  ])('reads %j', (list, expected) => {
    expect(parseFormats(list)).toEqual(expected);
  });

  it('names the unknown format and the valid ones', () => {
    expect(() => parseFormats('console,xml')).toThrow(UsageError);
    expect(() => parseFormats('console,xml')).toThrow(
      'Unknown report format "xml"; valid formats: console, json, junit, markdown, gradescope, classroom, html.',
    );
    expect(() => parseFormats('pdf,xml')).toThrow('Unknown report formats "pdf", "xml"');
  });

  it('refuses an empty list', () => {
    expect(() => parseFormats(' , ')).toThrow(UsageError);
  });
});

describe('writeReports', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lab-grader-reports-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes exactly the requested files, creating the folder, and returns the console text', async () => {
    const out = join(dir, 'nested', 'reports');
    const card = scorecard('mixed');
    const written = await writeReports(card, ['console', 'junit', 'gradescope'], out, { executionTimeSeconds: 3 });
    expect(written).toEqual([
      { format: 'console', text: renderReport(card, 'console') },
      { format: 'junit', file: join(out, 'junit.xml') },
      { format: 'gradescope', file: join(out, 'results.json') },
    ]);
    expect((await readdir(out)).sort()).toEqual(['junit.xml', 'results.json']);
    expect(await readFile(join(out, 'results.json'), 'utf8')).toBe(
      renderReport(card, 'gradescope', { executionTimeSeconds: 3 }),
    );
  });

  it('writes every file format under its name and leaves no temporary file', async () => {
    await writeReports(scorecard('complete'), FORMATS, dir);
    expect((await readdir(dir)).sort()).toEqual(['classroom.b64', 'junit.xml', 'report.html', 'results.json', 'scorecard.json', 'summary.md']);
  });

  it('replaces a report left by an earlier run', async () => {
    await writeReports(scorecard('complete'), ['json'], dir);
    await writeReports(scorecard('mixed'), ['json'], dir);
    expect(await readFile(join(dir, 'scorecard.json'), 'utf8')).toBe(renderReport(scorecard('mixed'), 'json'));
  });

  it('creates no folder when only the console was asked for', async () => {
    const out = join(dir, 'never');
    await writeReports(scorecard('complete'), ['console'], out);
    expect(await readdir(dir)).toEqual([]);
  });

  it('removes its temporary file when the report cannot take its place', async () => {
    // A folder where scorecard.json should go makes the final rename fail.
    await mkdir(join(dir, 'scorecard.json', 'kept'), { recursive: true });
    await expect(writeReports(scorecard('complete'), ['json'], dir)).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['scorecard.json']);
  });
});

describe('safeScorecard', () => {
  it('copies every string made safe, and a key named __proto__ as an entry of its own, never as the prototype', () => {
    const card = JSON.parse('{"summary":"a\\nb","nested":{"__proto__":{"polluted":"x\\u2028y"},"list":["AKIAEXAMPLEKEYTESTS1"]}}') as Record<string, unknown>;
    const safe = safeScorecard(card as unknown as Scorecard) as unknown as { summary: string; nested: Record<string, unknown> };
    expect(safe.summary).toBe('a\\nb');
    expect(Object.getPrototypeOf(safe.nested)).toBe(Object.prototype);
    expect(Object.keys(safe.nested)).toEqual(['__proto__', 'list']);
    expect(JSON.stringify(safe.nested)).toBe('{"__proto__":{"polluted":"x\\\\u2028y"},"list":["AKIA…STS1"]}');
  });
});

describe('makeScorecardSafe', () => {
  it('makes every string safe in the scorecard itself, writes none that is safe already, and sets a key named __proto__ as the entry it is', () => {
    const card = JSON.parse('{"summary":"a\\nb","nested":{"__proto__":{"polluted":"x\\u2028y"},"list":["AKIAEXAMPLEKEYTESTS1","plain"]},"own":{"__proto__":"p\\nq"}}') as Record<string, unknown>;
    // Shared text (a rubric's) is safe already: a frozen object of it is never written to.
    const shared = Object.freeze({ title: 'Create an admin IAM group and user', list: Object.freeze(['ok']) });
    card.shared = shared;
    const copy = safeScorecard(structuredClone({ ...card, shared: { ...shared, list: [...shared.list] } }) as unknown as Scorecard);
    const safe = makeScorecardSafe(card as unknown as Scorecard);
    expect(safe).toBe(card);
    expect(card.summary).toBe('a\\nb');
    const nested = card.nested as Record<string, unknown>;
    expect(Object.getPrototypeOf(nested)).toBe(Object.prototype);
    expect(Object.keys(nested)).toEqual(['__proto__', 'list']);
    expect(JSON.stringify(nested)).toBe('{"__proto__":{"polluted":"x\\\\u2028y"},"list":["AKIA…STS1","plain"]}');
    expect(card.shared).toBe(shared);
    const own = card.own as Record<string, unknown>;
    expect(Object.getPrototypeOf(own)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(own, '__proto__')?.value).toBe('p\\nq');
    // The same text as the copy's.
    expect(JSON.stringify(card)).toBe(JSON.stringify(copy));
  });
});

describe('the quick tests before the replaces (fast-check)', () => {
  // Every character the replaces look at, the literals the secret shapes start with, and ordinary text.
  const piece = fc.oneof(
    fc.constantFrom('\r\n', '\n', '\r', '\u000B', '\u000C', '\u001C', '\u001E', '\u0085', '\u2028', '\u2029', '\u0000', '\u0008', '\u000E', '\u001B', '\u001F', '\u007F', '\u009F', '\u061C', '\u200E', '\u200F', '\u202A', '\u202E', '\u2066', '\u2069', '\t', 'é'),
    fc.constantFrom('AKIA', 'ASIA', 'gh', 'ghp_', 'github_pat_', 'sk-', 'sk-proj-', ' '),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
  );
  const text = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''));

  it('leave every text as both replaces would, and leave no secret the searches find', () => {
    fc.assert(
      fc.property(text, (generated) => {
        // eslint-disable-next-line no-control-regex
        expect(neutralizeControls(generated)).toBe(oneLine(generated).replace(/[\u0000-\u0008\u000E-\u001B\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '\uFFFD'));
        // Whatever the searches would find is redacted.
        expect(findSecret(redactSecrets(generated)), generated).toBeNull();
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
  });
});
