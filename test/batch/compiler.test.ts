// The grading threads' compiler settings (src/batch/compiler.ts): which flags are set, that a
// person's own value is kept, and that this Node's V8 knows the flags (an unknown one would
// print V8's "unrecognized flag" under every batch).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compilerFlags, GRADING_COMPILER_FLAGS } from '../../src/batch/compiler.js';

describe("the grading threads' compiler settings", () => {
  it('inline at most 100 bytes of bytecode into each optimized function, and wait eight times as long before compiling one', () => {
    expect(compilerFlags(['--enable-source-maps'])).toEqual(['--max-inlined-bytecode-size-cumulative=100', '--interrupt-budget=540672']);
    expect(GRADING_COMPILER_FLAGS).toEqual(compilerFlags([]));
  });

  it("keep a value given on node's command line or in NODE_OPTIONS", () => {
    expect(compilerFlags(['--max-inlined-bytecode-size-cumulative=500'])).toEqual(['--interrupt-budget=540672']);
    expect(compilerFlags(['--max-inlined-bytecode-size-cumulative', '500'])).toEqual(['--interrupt-budget=540672']);
    expect(compilerFlags(['--interrupt_budget=1000'])).toEqual(['--max-inlined-bytecode-size-cumulative=100']);
    expect(compilerFlags([], '--enable-source-maps  --interrupt-budget=1000 --max-inlined-bytecode-size-cumulative=500')).toEqual([]);
  });

  it("are flags this Node's V8 takes without a word", () => {
    const script = `for (const flag of ${JSON.stringify(compilerFlags([]))}) require('node:v8').setFlagsFromString(flag); process.stdout.write('set')`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect({ status: child.status, stdout: child.stdout, stderr: child.stderr }).toEqual({ status: 0, stdout: 'set', stderr: '' });
  });
});
