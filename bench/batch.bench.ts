// How long a batch of 1,000 snapshot files takes (goal: under 5 s). Builds a class of
// copies and small mutations of the complete-lab example in a temporary folder, grades it
// with the real rubric and checks, writing scorecard.json and report.html per student, the
// gradebook and the class overview. Prints figures; asserts nothing.
//
//   npm run bench:batch              1,000 students, concurrency 4
//   npm run bench:batch -- 200 8     200 students, concurrency 8
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { checksById } from '../checks/index.js';
import { loadRoster } from '../src/batch/roster.js';
import { grade } from '../src/grade/engine.js';
import { parseSnapshot } from '../src/snapshot/load.js';
import { runBatch } from '../src/batch/runner.js';
import { loadRubric } from '../src/rubric/load.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { anotherAccount } from '../test/support/fixtures.js';

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

    const rubric = loadRubric(join(root, 'rubric.yaml'), 'rubric.yaml');
    const roster = loadRoster(join(dir, 'roster.csv'));
    const run = (force: boolean) =>
      runBatch({ roster, rubric, rubricFile: 'rubric.yaml', outDir: join(dir, 'out'), concurrency, force, formats: ['html'] });

    const loadBefore = loadavg();
    const cpuBefore = process.cpuUsage();
    const first = await run(false);
    const cpu = process.cpuUsage(cpuBefore);
    const resumed = await run(false);
    const failed = first.outcomes.filter((outcome) => outcome.status === 'error').length;

    const seconds = first.durationMs / 1000;
    console.log(`batch benchmark: ${students} snapshot files, concurrency ${concurrency}, formats scorecard.json + report.html`);
    console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`);
    // Other work on the machine slows the wall time; the CPU time (all threads) does not depend on it.
    console.log(`load average before grading: ${loadBefore.map((load) => load.toFixed(2)).join(' ')} (1, 5, 15 min)`);
    console.log(`setup (writing the class): ${(setupMs / 1000).toFixed(2)} s`);
    console.log(`grade everyone:            ${seconds.toFixed(2)} s  ${(students / seconds).toFixed(0)} students/s  ${(first.durationMs / students).toFixed(2)} ms/student  (goal < 5 s)`);
    console.log(`CPU time, all threads:     ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s  ${((cpu.user + cpu.system) / 1000 / students).toFixed(2)} ms/student`);
    console.log(`resume (all kept):         ${(resumed.durationMs / 1000).toFixed(2)} s  ${resumed.outcomes.filter((outcome) => outcome.skipped).length} skipped`);
    const flagged = first.outcomes.filter((outcome) => (outcome.scorecard?.integrity?.flags.length ?? 0) > 0).length;
    console.log(`errors: ${failed}   flagged by the class verification: ${flagged}`);

    // The same run, in this thread: reading and grading one student's file with nothing else
    // (no threads, reports or files), to tell the grading from what surrounds it.
    const text = await readFile(join(dir, 'snapshots', 's00001.json'), 'utf8');
    const repeats = Math.min(students, 300);
    for (let index = 0; index < 20; index += 1) grade({ rubric, rubricFile: 'rubric.yaml', snapshot: parseSnapshot(text, 'warm-up'), checks: checksById });
    const coreBefore = process.cpuUsage();
    for (let index = 0; index < repeats; index += 1) grade({ rubric, rubricFile: 'rubric.yaml', snapshot: parseSnapshot(text, 's00001.json'), checks: checksById });
    const core = process.cpuUsage(coreBefore);
    const coreMs = (core.user + core.system) / 1000 / repeats;
    const perStudentMs = (cpu.user + cpu.system) / 1000 / students;
    console.log(`parse + grade alone:       ${coreMs.toFixed(2)} ms CPU/student (${repeats} in this thread)`);
    console.log(`batch CPU ÷ parse + grade: ${(perStudentMs / coreMs).toFixed(1)}× (goal ≤ 4 ms CPU/student in the batch)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
