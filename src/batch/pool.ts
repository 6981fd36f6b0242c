// A small pool of grading threads for students graded from a file (the roster's snapshot, or
// the one their folder kept): each job goes to the next free thread; results come back as
// plain scorecards.
import { Worker } from 'node:worker_threads';
import { tuneCompilerForGrading } from './compiler.js';
import type { GradeResult, GradingContext, SnapshotOrigin, StudentJob } from './grade-student.js';

export interface WorkerJob extends StudentJob {
  id: number;
  snapshotPath: string;
  origin: SnapshotOrigin;
}

export interface WorkerReply {
  id: number;
  result: GradeResult;
}

interface Pending {
  job: WorkerJob;
  resolve: (result: GradeResult) => void;
}

/**
 * Jobs a thread holds at once: the one it grades and the next, already in its queue, so it
 * starts that one without waiting for the batch's thread to take its answer and send another
 * (a third of a millisecond a student, when the grading threads keep both cores busy).
 */
export const JOBS_PER_THREAD = 2;

declare global {
  interface ImportMeta {
    /** The published bin's start sets this: the start of a grading thread beside it (src/cli/grading-thread.ts). */
    readonly gradingThread?: string;
  }
}

/**
 * The published bin runs the grading thread's start that its own start names (its code as one
 * script with a code cache); another built install runs worker.js; from source (tsx) the
 * thread first registers tsx to read worker.ts.
 */
function startWorker(context: GradingContext, given: URL | undefined): Worker {
  if (given) return new Worker(given, { workerData: context });
  if (import.meta.gradingThread !== undefined) return new Worker(import.meta.gradingThread, { workerData: context });
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData: context });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
  return new Worker(`import(${tsx}).then(({ register }) => { register(); return import(${entry}); });`, { eval: true, workerData: context });
}

export class GradingPool {
  private readonly queue: Pending[] = [];
  /** Every thread with the jobs it was sent, in the order it grades them. */
  private readonly held = new Map<Worker, Pending[]>();
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly context: GradingContext,
    private readonly threads: number,
    /** The thread's code, when not the default (see startWorker). */
    private readonly entry?: URL,
  ) {
    tuneCompilerForGrading();
    for (let index = 0; index < threads; index += 1) this.spawn();
  }

  private spawn(): void {
    const worker = startWorker(this.context, this.entry);
    this.held.set(worker, []);
    worker.on('message', (reply: WorkerReply) => this.settle(worker, reply));
    worker.on('error', (error) => this.crashed(worker, error));
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    const jobs = this.held.get(worker) ?? [];
    const index = jobs.findIndex((pending) => pending.job.id === reply.id);
    if (index !== -1) jobs.splice(index, 1)[0]!.resolve(reply.result);
    this.dispatch();
  }

  /**
   * A crashed thread fails only the student it was grading (its first job); the jobs queued
   * behind it never started and go back to the front of the queue, for a fresh thread.
   */
  private crashed(worker: Worker, error: Error): void {
    const [running, ...waiting] = this.held.get(worker) ?? [];
    this.held.delete(worker);
    this.queue.unshift(...waiting);
    running?.resolve({ status: 'error', error: `grading thread failed: ${error.message}` });
    this.dispatch();
  }

  /**
   * Sends queued jobs to the threads holding the fewest, up to JOBS_PER_THREAD each. A thread
   * that crashed is replaced here, when the others cannot hold the jobs waiting: one that fails
   * as it starts is not started again and again while nothing waits.
   */
  private dispatch(): void {
    if (this.closed) return;
    let free = 0;
    for (const jobs of this.held.values()) free += JOBS_PER_THREAD - jobs.length;
    for (; this.queue.length > free && this.held.size < this.threads; free += JOBS_PER_THREAD) this.spawn();
    while (this.queue.length > 0) {
      let target: [Worker, Pending[]] | undefined;
      for (const entry of this.held) if (entry[1].length < JOBS_PER_THREAD && (!target || entry[1].length < target[1].length)) target = entry;
      if (!target) return;
      const pending = this.queue.shift()!;
      target[1].push(pending);
      target[0].postMessage(pending.job);
    }
  }

  run(job: Omit<WorkerJob, 'id'>): Promise<GradeResult> {
    return new Promise((resolve) => {
      this.queue.push({ job: { ...job, id: this.nextId++ }, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.held.keys()].map((worker) => worker.terminate()));
  }
}
