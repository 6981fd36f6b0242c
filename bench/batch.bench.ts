// How long a class of 1,000 snapshot files takes (goal: under 5 s, at most 5 ms of CPU per
// student). Builds the class in a temporary folder (each student their own account and ids,
// with one of a few typical mistakes), then times the published bin grading it as a whole
// process, as an instructor runs it: `lab-grader batch roster.csv --format html`, writing
// scorecard.json, evidence.json and report.html per student, the gradebook and the class
// overview; then the same command again, with every student kept. Prints figures; asserts
// nothing. Needs `npm run build` first.
//
//   npm run bench:batch              1,000 students, concurrency 4
//   npm run bench:batch -- 200 8     200 students, concurrency 8
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { checksById } from '../checks/index.js';
import { grade } from '../src/grade/engine.js';
import { parseSnapshot } from '../src/snapshot/load.js';
import { loadRubric } from '../src/rubric/load.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { anotherAccount } from '../test/support/fixtures.js';
import { loadLine, timeProcess } from './support/processes.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const students = Number(process.argv[2] ?? 1000);
const concurrency = Number(process.argv[3] ?? 4);

// Each mutation changes what a typical student gets wrong, so grading does real work on every file.
const MUTATIONS: ((snapshot: Snapshot) => void)[] = [
  () => {},
  (s) => {
    s.facts.natGateways = { ok: true, data: [] };
  },
  (s) => {
    s.facts.alarms = { ok: true, data: [] };
  },
  (s) => {
    s.facts.accountSummary = { ok: false, error: { call: 'iam:GetAccountSummary', code: 'AccessDenied', message: 'not authorized' } };
  },
  (s) => {
    if (s.facts.vpcs.ok) for (const vpc of s.facts.vpcs.data) if (vpc.CidrBlock === '10.0.0.0/16') vpc.CidrBlock = '10.1.0.0/16';
  },
];

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'lab-grader-bench-batch-'));
  try {
    const complete = JSON.parse(await readFile(join(root, 'examples/complete-lab.snapshot.json'), 'utf8')) as Snapshot;
    const built = performance.now();
    await mkdir(join(dir, 'snapshots'));
    const lines = ['id,snapshot'];
    for (let index = 0; index < students; index += 1) {
      // Each its own account and random ids, as real accounts (copies of the bundled example are flagged).
      const snapshot = anotherAccount(index + 1, complete);
      MUTATIONS[index % MUTATIONS.length]!(snapshot);
      const id = `s${String(index + 1).padStart(5, '0')}`;
      await writeFile(join(dir, 'snapshots', `${id}.json`), JSON.stringify(snapshot, null, 2));
      lines.push(`${id},snapshots/${id}.json`);
    }
    await writeFile(join(dir, 'roster.csv'), `${lines.join('\n')}\n`);
    const setupMs = performance.now() - built;

    const bin = join(root, 'dist/bin/lab-grader.js');
    if (!existsSync(bin)) throw new Error(`${bin} is missing; run npm run build first`);
    const batch = () =>
      timeProcess(process.execPath, [bin, 'batch', join(dir, 'roster.csv'), '--out', join(dir, 'out'), '--format', 'html', '--concurrency', String(concurrency)], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1' },
      });
    const loadBefore = loadLine();
    const first = await batch();
    const resumed = await batch();
    const loadAfter = loadLine();
    for (const run of [first, resumed]) if (run.code !== 0) throw new Error(`the batch exited ${run.code}: ${run.stderr}`);
    const summary = (run: { stderr: string }) => /^\d+ students: .*$/m.exec(run.stderr)?.[0] ?? '(no summary line)';

    const seconds = first.wallMs / 1000;
    const perStudentMs = (first.cpuMs ?? Number.NaN) / students;
    console.log(`batch benchmark: ${students} snapshot files, concurrency ${concurrency}, lab-grader batch --format html (scorecard.json, evidence.json, report.html each)`);
    console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; before: ${loadBefore}; after: ${loadAfter}`);
    console.log(`setup (writing the class): ${(setupMs / 1000).toFixed(2)} s`);
    console.log(`grade everyone:            ${seconds.toFixed(2)} s wall  ${(students / seconds).toFixed(0)} students/s  (goal < 5 s)`);
    // Other work on the machine slows the wall time; the CPU time (all threads) hardly depends on it.
    console.log(`CPU time, all threads:     ${((first.cpuMs ?? Number.NaN) / 1000).toFixed(2)} s  ${perStudentMs.toFixed(2)} ms/student  peak ${first.peakRssMiB?.toFixed(0) ?? 'n/a'} MiB  (goal ≤ 5 ms/student)`);
    console.log(`                           ${summary(first)}`);
    console.log(`again, all kept:           ${(resumed.wallMs / 1000).toFixed(2)} s wall  ${((resumed.cpuMs ?? Number.NaN) / 1000).toFixed(2)} s CPU  ${summary(resumed)}`);

    // The same run, in this thread: reading and grading one student's file with nothing else
    // (no threads, reports or files), to tell the grading from what surrounds it.
    const rubric = loadRubric(join(root, 'rubric.yaml'), 'rubric.yaml');
    const text = await readFile(join(dir, 'snapshots', 's00001.json'), 'utf8');
    const repeats = Math.min(students, 300);
    for (let index = 0; index < 20; index += 1) grade({ rubric, rubricFile: 'rubric.yaml', snapshot: parseSnapshot(text, 'warm-up'), checks: checksById });
    const coreBefore = process.cpuUsage();
    for (let index = 0; index < repeats; index += 1) grade({ rubric, rubricFile: 'rubric.yaml', snapshot: parseSnapshot(text, 's00001.json'), checks: checksById });
    const core = process.cpuUsage(coreBefore);
    const coreMs = (core.user + core.system) / 1000 / repeats;
    console.log(`parse + grade alone:       ${coreMs.toFixed(2)} ms CPU/student (${repeats} in this thread)`);
    console.log(`batch CPU ÷ parse + grade: ${(perStudentMs / coreMs).toFixed(1)}×: the rest is verification, reports, files, threads and the start`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
