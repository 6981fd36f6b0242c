// The grading threads' compiler setting (src/batch/compiler.ts): which flag is set, that a
// person's own value is kept, and that this Node's V8 knows the flag (an unknown one would
// print V8's "unrecognized flag" under every batch).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { GRADING_INLINING_BYTES, inliningFlag } from '../../src/batch/compiler.js';

describe("the grading threads' compiler setting", () => {
  it('inlines at most 100 bytes of bytecode into each optimized function', () => {
    expect(GRADING_INLINING_BYTES).toBe(100);
    expect(inliningFlag(['--enable-source-maps'])).toBe('--max-inlined-bytecode-size-cumulative=100');
  });

  it("keeps a value given on node's command line", () => {
    expect(inliningFlag(['--max-inlined-bytecode-size-cumulative=500'])).toBeUndefined();
    expect(inliningFlag(['--max-inlined-bytecode-size-cumulative', '500'])).toBeUndefined();
  });

  it("is a flag this Node's V8 takes without a word", () => {
    const script = `require('node:v8').setFlagsFromString(${JSON.stringify(inliningFlag([]))}); process.stdout.write('set')`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect({ status: child.status, stdout: child.stdout, stderr: child.stderr }).toEqual({ status: 0, stdout: 'set', stderr: '' });
  });
});
