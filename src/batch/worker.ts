// A grading thread: grades snapshot-file students sent by the batch, so a large class uses
// every core (loading, checking and rendering are CPU work).
import { parentPort, workerData } from 'node:worker_threads';
import { gradeIntoFolder, gradingsOf, readSnapshotFileSync, type GradingContext } from './grade-student.js';
import type { WorkerJob, WorkerReply } from './pool.js';

const given = workerData as GradingContext;
const gradingFor = gradingsOf(given);
// Without the student deadline: this thread reads a snapshot file with synchronous calls before
// the deadline's timer would start (and a pipe nobody writes to is refused, not waited for), so
// the timer could never fire and was set and cleared for nothing, student after student.
const { studentTimeoutMs: _deadline, ...context } = given;

// The pool sends the next job before this one is done (see JOBS_PER_THREAD): they are graded one
// after another, each from its start to its answer.
let previous: Promise<void> = Promise.resolve();
parentPort!.on('message', (job: WorkerJob) => {
  previous = previous.then(async () => {
    const result = await gradeIntoFolder(context, gradingFor(job.labProfile), job, async () => readSnapshotFileSync(job.snapshotPath, job.origin), false);
    parentPort!.postMessage({ id: job.id, result } satisfies WorkerReply);
  });
});
