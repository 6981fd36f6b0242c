// A golden file that equals its own input is no test: the output under test would be
// compared with the file it was read from. No expected file under a __snapshots__ folder may
// equal, byte for byte, any file the tests read as input (examples/, test/ fixtures).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const digest = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const isGolden = (file: string): boolean => file.split(/[\\/]/).includes('__snapshots__');
const testFiles = filesUnder(join(root, 'test'));
const goldens = testFiles.filter(isGolden);
const inputs = [...filesUnder(join(root, 'examples')), ...testFiles.filter((file) => !isGolden(file))];

describe('golden files', () => {
  it('exist, so the check below has something to look at', () => {
    expect(goldens.length).toBeGreaterThan(0);
  });

  it('none equals a file the tests read as input', () => {
    const inputByDigest = new Map(inputs.map((file) => [digest(file), file]));
    const copies = goldens
      .filter((golden) => inputByDigest.has(digest(golden)))
      .map((golden) => `${relative(root, golden)} equals ${relative(root, inputByDigest.get(digest(golden))!)}`);
    expect(copies).toEqual([]);
  });
});
