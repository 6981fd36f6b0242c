// V8's optimizing compiler, set for the grading threads. A thread grades hundreds of students
// through one wide, flat path (the resolver, the rubric's checks, the reports), where each
// function runs a few times per student. V8 compiles the hot ones on its own background
// threads, and by default inlines up to 920 bytes of bytecode into each: those compiles were a
// fifth of a batch's CPU (perf, by thread), and a deoptimization, while V8 still learns the
// students' shapes, throws a whole compile away. With at most 100 bytes inlined, each compile is
// smaller: a class of 1,000 took 8-9% less CPU, a thread grading 3,000 students in a row 7-11%
// less, with the same reports (measured with both variants running at once, so the machine's
// drift counts for both).
import { setFlagsFromString } from 'node:v8';

const INLINING = '--max-inlined-bytecode-size-cumulative';
export const GRADING_INLINING_BYTES = 100;
/** The flag as node's command line takes it (a benchmark starts a thread's work with it). */
export const GRADING_INLINING_FLAG = `${INLINING}=${GRADING_INLINING_BYTES}`;

/** The flag to set, or undefined when node was started with its own value, which is kept. */
export function inliningFlag(execArgv: readonly string[]): string | undefined {
  return execArgv.some((argument) => argument === INLINING || argument.startsWith(`${INLINING}=`)) ? undefined : GRADING_INLINING_FLAG;
}

let tuned = false;

/**
 * Sets the compiler's inlining for the grading threads, once per process, before the first
 * starts (V8's flags are the process's: the batch's own thread compiles little after this).
 * A heuristic of the compiler only: what the code computes is the same.
 */
export function tuneCompilerForGrading(): void {
  if (tuned) return;
  tuned = true;
  const flag = inliningFlag(process.execArgv);
  if (flag !== undefined) setFlagsFromString(flag);
}
