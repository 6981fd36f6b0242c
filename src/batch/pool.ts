// A small pool of grading threads for students graded from a file (the roster's snapshot, or
// the one their folder kept): each job goes to the next free thread; results come back as
// plain scorecards.
import { Worker } from 'node:worker_threads';
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

/** A built install runs worker.js; from source (tsx) the thread first registers tsx to read worker.ts. */
function startWorker(context: GradingContext, given: URL | undefined): Worker {
  if (given) return new Worker(given, { workerData: context });
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData: context });
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./worker.ts', import.meta.url).href);
  return new Worker(`import(${tsx}).then(({ register }) => { register(); return import(${entry}); });`, { eval: true, workerData: context });
}

export class GradingPool {
  private readonly queue: Pending[] = [];
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private nextId = 0;

  constructor(
    private readonly context: GradingContext,
    threads: number,
    /** The thread's code, when not the default (see startWorker). */
    private readonly entry?: URL,
  ) {
    for (let index = 0; index < threads; index += 1) this.idle.push(this.spawn());
  }

  private spawn(): Worker {
    const worker = startWorker(this.context, this.entry);
    worker.on('message', (reply: WorkerReply) => this.settle(worker, reply.result));
    worker.on('error', (error) => {
      // A crashed thread fails only the student it held; a fresh thread takes its place.
      this.settle(worker, { status: 'error', error: `grading thread failed: ${error.message}` }, true);
    });
    return worker;
  }

  private settle(worker: Worker, result: GradeResult, replace = false): void {
    const pending = this.busy.get(worker);
    this.busy.delete(worker);
    pending?.resolve(result);
    const free = replace ? this.spawn() : worker;
    this.idle.push(free);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.postMessage(pending.job);
    }
  }

  run(job: Omit<WorkerJob, 'id'>): Promise<GradeResult> {
    return new Promise((resolve) => {
      this.queue.push({ job: { ...job, id: this.nextId++ }, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.idle, ...this.busy.keys()].map((worker) => worker.terminate()));
  }
}
