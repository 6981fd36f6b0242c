// A class on disk: snapshot files built from the complete lab with mutations, a roster
// listing them, and helpers to read the gradebook back.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src/batch/csv.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { completeLabWith, denied, example } from '../support/fixtures.js';

/** Cycled through the class so every kind of student appears. */
export const VARIANTS: { name: string; labProfile?: string; snapshot: () => Snapshot }[] = [
  { name: 'complete', snapshot: () => example('complete-lab') },
  { name: 'mistakes', snapshot: () => example('mistakes') },
  {
    name: 'no-nat',
    snapshot: () =>
      completeLabWith((s) => {
        s.facts.natGateways = { ok: true, data: [] };
      }),
  },
  {
    name: 'denied-elb',
    snapshot: () =>
      completeLabWith((s) => {
        s.facts.loadBalancers = denied('elasticloadbalancing:DescribeLoadBalancers');
        s.facts.alarms = { ok: true, data: [] };
      }),
  },
  { name: 'academy', labProfile: 'academy', snapshot: () => example('complete-lab') },
];

export interface ClassOnDisk {
  roster: string;
  /** Ids of the students whose file is broken or missing. */
  broken: string[];
}

/** `count` students: the variants in turn, then one broken JSON file and one missing file. */
export async function writeClass(dir: string, count: number, options: { csv?: boolean } = {}): Promise<ClassOnDisk> {
  await mkdir(join(dir, 'snapshots'), { recursive: true });
  const rows: { id: string; name: string; snapshot: string; labProfile?: string }[] = [];
  for (let index = 0; index < count - 2; index += 1) {
    const variant = VARIANTS[index % VARIANTS.length]!;
    const id = `s${String(index + 1).padStart(4, '0')}`;
    const file = `snapshots/${id}.json`;
    await writeFile(join(dir, file), JSON.stringify(variant.snapshot()));
    rows.push({ id, name: `Student ${index + 1} (${variant.name})`, snapshot: file, ...(variant.labProfile ? { labProfile: variant.labProfile } : {}) });
  }
  await writeFile(join(dir, 'snapshots/broken.json'), '{ "schemaVersion": 1, "facts": ');
  rows.push({ id: 'broken-json', name: 'Broken File', snapshot: 'snapshots/broken.json' });
  rows.push({ id: 'missing-file', name: 'Missing File', snapshot: 'snapshots/nowhere.json' });

  const roster = join(dir, options.csv ? 'roster.csv' : 'roster.yaml');
  const text = options.csv
    ? ['id,name,snapshot,labProfile', ...rows.map((row) => `${row.id},"${row.name}",${row.snapshot},${row.labProfile ?? ''}`)].join('\n')
    : `students:\n${rows
        .map((row) => `  - id: ${row.id}\n    name: "${row.name}"\n    snapshot: ${row.snapshot}\n${row.labProfile ? `    labProfile: ${row.labProfile}\n` : ''}`)
        .join('')}`;
  await writeFile(roster, text);
  return { roster, broken: ['broken-json', 'missing-file'] };
}

export interface GradebookTable {
  header: string[];
  rows: Record<string, string>[];
}

export function readGradebook(text: string): GradebookTable {
  const [header, ...records] = parseCsv(text);
  return {
    header: header!.cells,
    rows: records.map((record) => Object.fromEntries(header!.cells.map((column, index) => [column, record.cells[index] ?? '']))),
  };
}

/** Points text → hundredths; an empty cell (not applicable) is 0. */
export function hundredths(cell: string): number {
  return cell === '' ? 0 : Math.round(Number(cell) * 100);
}

/** The lab's rubric with step 2.1 worth 0.50 instead of 0.25 (its check and section 2 follow), written into `dir`; its path. */
export async function writeRubricWithStep21Doubled(dir: string): Promise<string> {
  const text = await readFile(fileURLToPath(new URL('../../rubric.yaml', import.meta.url)), 'utf8');
  const changed = text
    .replace('    title: Amazon S3 setup and file management\n    points: 1.5\n', '    title: Amazon S3 setup and file management\n    points: 1.75\n')
    .replace('        title: Create a private S3 bucket\n        points: 0.25\n', '        title: Create a private S3 bucket\n        points: 0.5\n')
    .replace('          - check: s3.private-bucket\n            points: 0.25\n', '          - check: s3.private-bucket\n            points: 0.5\n');
  if (changed.split('\n').filter((line, index) => line !== text.split('\n')[index]).length !== 3) throw new Error('rubric.yaml no longer has step 2.1 as this helper expects');
  const file = join(dir, 'rubric-2.1-doubled.yaml');
  await writeFile(file, changed);
  return file;
}
