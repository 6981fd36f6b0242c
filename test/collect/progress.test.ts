import { describe, expect, it } from 'vitest';
import { progressDisplay } from '../../src/collect/progress.js';

function terminal(isTTY: boolean, columns = 80) {
  const written: string[] = [];
  return { isTTY, columns, written, write: (text: string) => written.push(text) };
}

describe('progressDisplay', () => {
  it('draws one line on a terminal, rewriting it in place, and clears it at the end', () => {
    const stream = terminal(true);
    const display = progressDisplay(stream, {});
    display?.onProgress({ done: 3, total: 40, label: 'vpcs' });
    display?.finish();
    expect(stream.written).toEqual(['\r\x1b[2Kcollecting 3/40 vpcs', '\r\x1b[2K']);
  });

  it('shows the probing stage after collection', () => {
    const stream = terminal(true);
    const display = progressDisplay(stream, {});
    display?.onProgress({ done: 40, total: 40, label: 'alarms' });
    display?.onProbe({ done: 3, label: 'GET /health 200' });
    expect(stream.written.at(-1)).toBe('\r\x1b[2Kprobing the load balancer: 3 requests done, last GET /health 200');
  });

  it('cuts a line wider than the terminal', () => {
    const stream = terminal(true, 30);
    progressDisplay(stream, {})?.onProgress({ done: 1, total: 2, label: 'bucketObjects a-very-long-bucket-name-123456789012' });
    expect(stream.written[0]?.replace('\r\x1b[2K', '')).toHaveLength(29);
  });

  it('stays quiet when not a terminal or in CI', () => {
    expect(progressDisplay(terminal(false), {})).toBeUndefined();
    expect(progressDisplay(terminal(true), { CI: 'true' })).toBeUndefined();
    expect(progressDisplay(terminal(true), { CI: 'false' })).toBeDefined();
  });
});
