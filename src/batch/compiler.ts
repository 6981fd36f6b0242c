// V8's optimizing compiler, set for the grading threads. A thread grades hundreds of students
// through one wide, flat path (the resolver, the rubric's checks, the reports), where each
// function runs a few times per student. V8 compiles the hot ones on its own background
// threads: those compiles were a fifth of a batch's CPU (perf, by thread), and they go on all
// through a class, as one function after another that runs once or twice per student gets hot
// enough, although a class ends before most of them repay their compile. Two settings, each
// measured with both variants running at once (so the machine's drift counts for both), with
// the same reports:
// - At most 100 bytes of bytecode inlined into each optimized function (V8's default is 920),
//   so each compile is smaller, and a deoptimization, while V8 still learns the students'
//   shapes, throws less away: a class of 1,000 took 8-9% less CPU.
// - Eight times V8's interrupt budget (the bytecode a function runs between V8's looks at how
//   hot it is), so a function is compiled only after running eight times as much: a class of
//   1,000 took 5% less CPU (8% less in alternating runs, medians, wall time too), a class of
//   200 8-11% less, a thread grading 1,000 students in a row 10% less; four times took about
//   half as much off a class of 1,000, sixteen times was no better for 200 and worse for 1,000.
import { setFlagsFromString } from 'node:v8';

/** One of V8's flags and the value the grading threads run with. */
interface CompilerSetting {
  flag: string;
  value: number;
}

/** V8's default interrupt budget in Node 20 (V8 11.3), in bytes of bytecode. */
const V8_INTERRUPT_BUDGET = 67_584;

const GRADING_COMPILER: readonly CompilerSetting[] = [
  { flag: '--max-inlined-bytecode-size-cumulative', value: 100 },
  { flag: '--interrupt-budget', value: 8 * V8_INTERRUPT_BUDGET },
];

/** A setting as node's command line and `v8.setFlagsFromString` take it. */
const asArgument = ({ flag, value }: CompilerSetting): string => `${flag}=${value}`;

/** The settings as node's command line takes them (a benchmark starts a thread's work with them). */
export const GRADING_COMPILER_FLAGS: readonly string[] = GRADING_COMPILER.map(asArgument);

/** Whether `argument` gives `flag` (`--flag=N`, or `--flag` followed by N); V8 reads `_` in a flag's name as `-`. */
function gives(argument: string, flag: string): boolean {
  const name = argument.split('=', 1)[0]!.replaceAll('_', '-');
  return name === flag;
}

/**
 * The flags to set: each setting not given its own value on node's command line (`execArgv`)
 * or in NODE_OPTIONS, which is kept.
 */
export function compilerFlags(execArgv: readonly string[], nodeOptions = ''): string[] {
  const given = [...execArgv, ...nodeOptions.split(/\s+/).filter(Boolean)];
  return GRADING_COMPILER.filter(({ flag }) => !given.some((argument) => gives(argument, flag))).map(asArgument);
}

let tuned = false;

/**
 * Sets the compiler for the grading threads, once per process, before the first starts (V8's
 * flags are the process's: the batch's own thread compiles little after this). Heuristics of
 * the compiler only: what the code computes is the same.
 */
export function tuneCompilerForGrading(): void {
  if (tuned) return;
  tuned = true;
  for (const flag of compilerFlags(process.execArgv, process.env.NODE_OPTIONS)) setFlagsFromString(flag);
}
