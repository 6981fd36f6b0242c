// How long a class of 1,000 snapshot files takes (goal: under 5 s, at most 5 ms of CPU per
// student). Builds the class in a temporary folder (each student their own account and ids,
// with one of a few typical mistakes), then times the published bin grading it as a whole
// process, as an instructor runs it: `lab-grader batch roster.csv --format html`, writing
// scorecard.json, evidence.json and report.html per student, the gradebook and the class
// overview; then the same command again, with every student kept. Then it tells the figure's
// parts apart: the kernel's time (user and system CPU), what creating a file costs on this disk
// now, and a fresh grading thread's work without files (V8 compiling the code for its first
// students, then the steady cost per student). Prints figures; asserts nothing. Needs
// `npm run build` first.
//
//   npm run bench:batch              1,000 students, concurrency 4
//   npm run bench:batch -- 200 8     200 students, concurrency 8
//   npm run bench:batch -- --against ../other [--pairs 5]
//                                    this checkout's bin and another checkout's (built), run
//                                    at once on the same class, pair after pair: each CPU and
//                                    their ratio, which the machine's drift does not move
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checksById } from '../checks/index.js';
import { GRADING_COMPILER_FLAGS } from '../src/batch/compiler.js';
import { THREADS_FROM, threadsFor } from '../src/batch/runner.js';
import { grade } from '../src/grade/engine.js';
import { parseSnapshot } from '../src/snapshot/load.js';
import { loadRubric } from '../src/rubric/load.js';
import type { Snapshot } from '../src/snapshot/types.js';
import { anotherAccount } from '../test/support/fixtures.js';
import { loadLine, median, timeProcess, timeProcessesAtOnce } from './support/processes.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const argv = process.argv.slice(2);
/** `--name value` taken out of the arguments, or undefined. */
function option(name: string): string | undefined {
  const at = argv.indexOf(name);
  if (at === -1) return undefined;
  const [, value] = argv.splice(at, 2);
  if (value === undefined) throw new Error(`${name} needs a value`);
  return value;
}
const against = option('--against');
const pairs = Number(option('--pairs') ?? 5);
const students = Number(argv[0] ?? 1000);
const concurrency = Number(argv[1] ?? 4);

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

/** A grading thread's steps for each snapshot file, without files: CPU per hundred students, as JSON on stdout. */
const STUDENT_WORK = `
import { readFileSync } from 'node:fs';
import { serialize } from 'node:v8';
const [built, folder, count] = process.argv.slice(1);
const from = (path) => import(new URL(path, built).href);
const [{ gradingsOf }, { parseSnapshot }, { loadRubric }, { gradeWith }, { snapshotEvidence }, { renderReports }, { summarizeScorecard }] = await Promise.all(
  ['batch/grade-student.js', 'snapshot/load.js', 'rubric/load.js', 'grade/engine.js', 'integrity/evidence.js', 'report/index.js', 'grade/summary.js'].map(from),
);
const texts = Array.from({ length: Number(count) }, (_, index) => readFileSync(folder + '/s' + String(index + 1).padStart(5, '0') + '.json', 'utf8'));
// The rubric comes parsed to a thread (workerData); settling its grading is the thread's own work.
const rubric = loadRubric('rubric.yaml', 'rubric.yaml');
let mark = process.cpuUsage();
const grading = gradingsOf({ rubric, rubricFile: 'rubric.yaml', paramOverrides: {} })(undefined);
const per100 = [];
texts.forEach((text, index) => {
  const snapshot = parseSnapshot(text, 'snapshot.json');
  const scorecard = gradeWith(grading, snapshot, { submission: null, freeze: false });
  const evidence = snapshotEvidence(snapshot, scorecard.choices);
  renderReports(scorecard, ['html', 'json']);
  serialize({ scorecard: summarizeScorecard(scorecard), evidence });
  if ((index + 1) % 100 === 0) {
    const spent = process.cpuUsage(mark);
    per100.push((spent.user + spent.system) / 1000);
    mark = process.cpuUsage();
  }
});
process.stdout.write(JSON.stringify({ per100 }));
`;

/** This checkout's bin and another's, graded at once on the same class, pair after pair. */
async function compareAtOnce(bin: string, other: string, dir: string): Promise<void> {
  const otherBin = join(other, 'dist/bin/lab-grader.js');
  if (!existsSync(otherBin)) throw new Error(`${otherBin} is missing; build that checkout first (npm run build)`);
  console.log(`batch benchmark, two builds at once: ${students} snapshot files, concurrency ${concurrency}, ${pairs} pairs; this checkout ÷ ${other}`);
  console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; before: ${loadLine()}`);
  const ratios: number[] = [];
  for (let pair = 1; pair <= pairs; pair += 1) {
    const runs = await timeProcessesAtOnce(
      [bin, otherBin].map((file, index) => ({
        command: process.execPath,
        args: [file, 'batch', join(dir, 'roster.csv'), '--out', join(dir, `pair-${pair}-${index}`), '--format', 'html', '--concurrency', String(concurrency)],
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1' },
      })),
    );
    for (const run of runs) if (run.code !== 0) throw new Error(`a batch exited ${run.code}: ${run.stderr}`);
    const [ours, theirs] = runs.map((run) => ({ cpu: (run.cpuMs ?? Number.NaN) / students, wall: run.wallMs / 1000 }));
    ratios.push(ours!.cpu / theirs!.cpu);
    console.log(
      `pair ${pair}: this checkout ${ours!.cpu.toFixed(2)} ms CPU/student (${ours!.wall.toFixed(2)} s), the other ${theirs!.cpu.toFixed(2)} ms (${theirs!.wall.toFixed(2)} s): ${ratios.at(-1)!.toFixed(3)}`,
    );
  }
  console.log(`median ratio of CPU, this checkout ÷ the other: ${median(ratios).toFixed(3)} (each pair ran at once, so the machine's drift fell on both)`);
}

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
    if (against !== undefined) {
      await compareAtOnce(bin, resolve(against), dir);
      return;
    }
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
    const threads = threadsFor(students, concurrency);
    console.log(`grading threads: ${threads === 0 ? `none (fewer than ${THREADS_FROM} students: graded in the batch's own thread)` : `${threads} (one per core but one, at most the concurrency), beside the batch's own`}`);
    console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; before: ${loadBefore}; after: ${loadAfter}`);
    console.log(`setup (writing the class): ${(setupMs / 1000).toFixed(2)} s`);
    console.log(`grade everyone:            ${seconds.toFixed(2)} s wall  ${(students / seconds).toFixed(0)} students/s  (goal < 5 s)`);
    // Other work on the machine slows the wall time; the CPU time (all threads) hardly depends on it.
    console.log(`CPU time, all threads:     ${((first.cpuMs ?? Number.NaN) / 1000).toFixed(2)} s  ${perStudentMs.toFixed(2)} ms/student  peak ${first.peakRssMiB?.toFixed(0) ?? 'n/a'} MiB  (goal ≤ 5 ms/student)`);
    const systemPerStudent = (first.systemMs ?? Number.NaN) / students;
    console.log(`  of which in the kernel:  ${systemPerStudent.toFixed(2)} ms/student (system time: files, threads, pipes); user ${(perStudentMs - systemPerStudent).toFixed(2)} ms/student`);
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

    // What a student's folder and three files cost the kernel on this disk, now: ext4 without a
    // journal (as on some virtual machines) skips every inode freed in the last minutes when it
    // makes a file, so the same writes cost 30-600 µs each, by what was deleted lately. Measured
    // after the batch, so it cannot change what the batch found.
    const probe = join(dir, 'file-probe');
    mkdirSync(probe);
    const probeBefore = process.cpuUsage();
    for (let index = 0; index < 250; index += 1) {
      mkdirSync(join(probe, String(index)));
      for (const file of ['a', 'b', 'c']) writeFileSync(join(probe, String(index), file), '{}');
    }
    const createUs = process.cpuUsage(probeBefore).system / 1000;
    console.log(`this disk, now:            ${createUs.toFixed(0)} µs of system time per folder or file made; a student's folder and 3 files: ${((createUs * 4) / 1000).toFixed(2)} ms`);

    // A grading thread's own work without files, in a fresh process (the built code, with the
    // compiler settings of the batch's threads): V8 compiles and optimizes the code during its first students.
    const fresh = JSON.parse(
      execFileSync(process.execPath, [...GRADING_COMPILER_FLAGS, '--input-type=module', '-e', STUDENT_WORK, pathToFileURL(join(root, 'dist/src/')).href, join(dir, 'snapshots'), String(Math.min(students, 500))], { cwd: root, encoding: 'utf8' }),
    ) as { per100: number[] };
    const [firstHundred, ...rest] = fresh.per100;
    const steady = rest.length > 0 ? Math.min(...rest) / 100 : Number.NaN;
    console.log(
      `a fresh thread's work:     ${fresh.per100.map((ms) => (ms / 100).toFixed(2)).join(', ')} ms/student by hundreds (parse, grade, evidence, HTML and JSON reports, the summary copied to the batch's thread; no files)`,
    );
    if (firstHundred !== undefined) {
      const warmUp = firstHundred - 100 * steady;
      // When the machine slows during the run, every later hundred can cost more than the first.
      const said = warmUp > 0 ? `warm-up ≈ ${warmUp.toFixed(0)} ms per thread` : 'no warm-up shows (the first hundred cost less than any later one: the machine drifted)';
      console.log(`                           ${said}, then ${steady.toFixed(2)} ms/student`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
