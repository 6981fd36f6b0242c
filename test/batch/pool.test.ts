// The grading pool's scheduling, with real threads that speak its protocol: each thread holds
// at most JOBS_PER_THREAD jobs, every job is answered once, and a crashed thread fails only the
// student it was grading while the job queued behind it goes to a fresh thread.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { GradingContext } from '../../src/batch/grade-student.js';
import { GradingPool, JOBS_PER_THREAD } from '../../src/batch/pool.js';

const work = mkdtempSync(join(tmpdir(), 'lab-grader-pool-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Answers each job with the thread's id and how many jobs it held when the job arrived; takes a
// few milliseconds per job, one after another, as a grading thread does; dies on student "crash".
const THREAD = `
import { parentPort, threadId } from 'node:worker_threads';
let held = 0;
let previous = Promise.resolve();
parentPort.on('message', (job) => {
  held += 1;
  const heldOnArrival = held;
  previous = previous.then(async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (job.studentId === 'crash') throw new Error('the thread ran out of memory');
    held -= 1;
    parentPort.postMessage({ id: job.id, result: { status: 'error', error: JSON.stringify({ student: job.studentId, thread: threadId, heldOnArrival }) } });
  });
});
`;
const entry = join(work, 'thread.mjs');
writeFileSync(entry, THREAD);

const context = { rubric: {}, rubricFile: 'rubric.yaml', paramOverrides: {}, fileFormats: [] } as unknown as GradingContext;

function job(studentId: string) {
  return { studentId, dir: join(work, studentId), snapshotPath: join(work, `${studentId}.json`), origin: 'roster' as const };
}

interface Answer {
  student: string;
  thread: number;
  heldOnArrival: number;
}

describe('the grading pool', () => {
  it('answers every job once, spreads them over the threads and never gives a thread more than JOBS_PER_THREAD', async () => {
    const pool = new GradingPool(context, 2, pathToFileURL(entry));
    try {
      const students = Array.from({ length: 20 }, (_, index) => `s${index}`);
      const results = await Promise.all(students.map((student) => pool.run(job(student))));
      const answers = results.map((result) => (result.status === 'error' ? (JSON.parse(result.error) as Answer) : undefined));
      expect(answers.map((answer) => answer?.student)).toEqual(students);
      expect(new Set(answers.map((answer) => answer!.thread)).size).toBe(2);
      expect(Math.max(...answers.map((answer) => answer!.heldOnArrival))).toBe(JOBS_PER_THREAD);
    } finally {
      await pool.close();
    }
  });

  it('fails only the student a crashed thread was grading; the job queued behind it is graded by a fresh thread', async () => {
    const pool = new GradingPool(context, 1, pathToFileURL(entry));
    try {
      const [crashed, next, last] = await Promise.all(['crash', 'next', 'last'].map((student) => pool.run(job(student))));
      expect(crashed).toEqual({ status: 'error', error: 'grading thread failed: the thread ran out of memory' });
      const answers = [next, last].map((result) => JSON.parse((result as { error: string }).error) as Answer);
      expect(answers.map((answer) => answer.student)).toEqual(['next', 'last']);
      // Neither ran on the thread that crashed: both went to the one that took its place.
      expect(new Set(answers.map((answer) => answer.thread)).size).toBe(1);
    } finally {
      await pool.close();
    }
  });
});

describe('a grading thread that fails as it starts', () => {
  it('fails each student with the cause, one after another, and starts no thread while no job waits', async () => {
    // Each start leaves a mark, then the thread fails before it can take a job.
    const starts = join(work, 'starts.txt');
    const broken = join(work, 'broken.mjs');
    writeFileSync(broken, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(starts)}, 'x');\nthrow new Error('the thread could not load its code');\n`);
    const pool = new GradingPool(context, 2, pathToFileURL(broken));
    try {
      const results = await Promise.all(['a', 'b', 'c'].map((student) => pool.run(job(student))));
      expect(results).toEqual(Array.from({ length: 3 }, () => ({ status: 'error', error: 'grading thread failed: the thread could not load its code' })));
      // The two threads it began with, and one for the job left waiting when a thread failed.
      const started = readFileSync(starts, 'utf8').length;
      expect(started).toBe(3);
      // Open and idle: no thread is started in place of the failed ones until a job comes.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(readFileSync(starts, 'utf8').length).toBe(started);
      expect(await pool.run(job('d'))).toMatchObject({ status: 'error' });
    } finally {
      await pool.close();
    }
  });
});
