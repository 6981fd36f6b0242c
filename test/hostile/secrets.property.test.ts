// A property over where a student may put a secret: any string a fact or a probe result holds
// gets a secret of any shape (a secret access key, a session token, a GitHub or OpenAI token;
// alone, glued to base64 characters, inside a path, URL-encoded, in JSON text). The snapshot
// the live path saves and every report format hold none of it. `npm test` runs 100 cases;
// `npm run test:fuzz` runs FUZZ_RUNS (10,000).
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { checksById } from '../../checks/index.js';
import { UsageError } from '../../src/errors.js';
import { grade } from '../../src/grade/engine.js';
import { FORMATS, renderReport } from '../../src/report/index.js';
import { withoutCredentials } from '../../src/snapshot/credentials.js';
import { parseSnapshot } from '../../src/snapshot/load.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { example, labRubric } from '../support/fixtures.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
// A case grades the lab and renders seven formats: tens of milliseconds.
vi.setConfig({ testTimeout: Math.max(60_000, RUNS * 200) });

type Path = (string | number)[];

/** Every string's path in the snapshot's facts and probes. */
function stringPaths(value: unknown, path: Path): Path[] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((child, index) => stringPaths(child, [...path, index]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, child]) => stringPaths(child, [...path, key]));
  return [];
}

const complete = example('complete-lab');
const paths = [...stringPaths(complete.facts, ['facts']), ...stringPaths(complete.probes, ['probes'])];

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ALNUM = BASE64.slice(0, 62);
const chars = (alphabet: string, length: number) => fc.array(fc.constantFrom(...alphabet), { minLength: length, maxLength: length }).map((list) => list.join(''));
/** Key material as AWS and the services make it: random, so it has upper and lower case and digits. */
const mixed = (text: string) => /[A-Z]/.test(text) && /[a-z]/.test(text) && /[0-9]/.test(text);

/** A secret as planted, and its random part: the prefix of a token (`ghp_`) is no secret. */
const secret: fc.Arbitrary<{ value: string; random: string }> = fc.oneof(
  chars(BASE64, 40).filter(mixed).map((key) => ({ value: key, random: key })),
  fc.integer({ min: 100, max: 400 }).chain((length) => chars(BASE64, length)).filter(mixed).map((token) => ({ value: `${token}==`, random: token })),
  chars(ALNUM, 36).filter(mixed).map((token) => ({ value: `ghp_${token}`, random: token })),
  chars(`${ALNUM}_-`, 48).filter(mixed).map((token) => ({ value: `sk-proj-${token}`, random: token })),
);

const embedding = fc.constantFrom(
  (value: string) => value,
  (value: string) => `models/${value}.joblib`,
  (value: string) => `prefix${value}`,
  (value: string) => `${value}Suffix9`,
  (value: string) => `AWS_SECRET_ACCESS_KEY=${value}`,
  (value: string) => `https://x.example/?k=${encodeURIComponent(value)}`,
  (value: string) => JSON.stringify({ note: value }),
);

/** The snapshot with the string at `path` replaced by, or joined with, `text`. */
function planted(path: Path, text: string, how: 'replace' | 'append'): Snapshot {
  const copy = structuredClone(complete) as unknown as Record<string | number, unknown>;
  let node = copy;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  node[last] = how === 'replace' ? text : `${node[last] as string} ${text}`;
  return copy as unknown as Snapshot;
}

/** Pieces of the secret a reader could use: any 10 characters of its random part, as planted or URL-encoded (a redaction shows 4). */
function leaks(text: string, { random }: { random: string }): string[] {
  const found: string[] = [];
  for (const form of new Set([random, encodeURIComponent(random)])) {
    for (let start = 0; start + 10 <= form.length; start += 1) if (text.includes(form.slice(start, start + 10))) found.push(form.slice(start, start + 10));
  }
  return found;
}

describe('secrets planted anywhere', () => {
  it(`reach neither the saved snapshot nor any report (${paths.length} strings)`, () => {
    fc.assert(
      fc.property(fc.constantFrom(...paths), secret, embedding, fc.constantFrom('replace', 'append') as fc.Arbitrary<'replace' | 'append'>, (path, value, embed, how) => {
        // As the live path leaves it, then as --save-snapshot writes it.
        const saved = JSON.stringify(withoutCredentials(planted(path, embed(value.value), how)), null, 2);
        expect(leaks(saved, value), `${path.join('.')} in the saved snapshot`).toEqual([]);
        let snapshot: Snapshot;
        try {
          snapshot = parseSnapshot(saved, 'planted.json');
        } catch (error) {
          // A field the schema checks (a probe's URL) may be refused: by name, never by quoting the secret.
          if (!(error instanceof UsageError)) throw error;
          expect(leaks(error.message, value)).toEqual([]);
          return;
        }
        const scorecard = grade({ rubric: labRubric, rubricFile: 'rubric.yaml', snapshot, checks: checksById });
        for (const format of FORMATS) {
          const rendered = renderReport(scorecard, format, { color: false });
          const text = format === 'classroom' ? Buffer.from(rendered, 'base64').toString('utf8') : rendered;
          expect(leaks(text, value), `${path.join('.')} in ${format}`).toEqual([]);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
