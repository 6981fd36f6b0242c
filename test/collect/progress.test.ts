import { afterEach, describe, expect, it, vi } from 'vitest';
import { PendingCalls } from '../../src/aws/pending.js';
import { progressDisplay } from '../../src/collect/progress.js';

function terminal(isTTY: boolean, columns = 80) {
  const written: string[] = [];
  return { isTTY, columns, written, write: (text: string) => written.push(text) };
}

const lines = (written: string[]) => written.map((text) => text.replace('\r\x1b[2K', ''));

afterEach(() => {
  vi.useRealTimers();
});

describe('progressDisplay', () => {
  it('draws one line on a terminal from the start, rewriting it in place, and clears it at the end', () => {
    const stream = terminal(true);
    const display = progressDisplay(stream, {});
    display?.onProgress({ done: 3, total: 40, label: 'vpcs' });
    display?.finish();
    expect(stream.written).toEqual(['\r\x1b[2Kconnecting to AWS', '\r\x1b[2Kcollecting 3/40 vpcs', '\r\x1b[2K']);
  });

  it('shows the probing stage after collection', () => {
    const stream = terminal(true);
    const display = progressDisplay(stream, {});
    display?.onProgress({ done: 40, total: 40, label: 'alarms' });
    display?.onProbe({ done: 3, label: 'GET /health 200' });
    display?.finish();
    expect(stream.written.at(-2)).toBe('\r\x1b[2Kprobing the load balancer: 3 requests done, last GET /health 200');
  });

  it('cuts a line wider than the terminal', () => {
    const stream = terminal(true, 30);
    const display = progressDisplay(stream, {});
    display?.onProgress({ done: 1, total: 2, label: 'bucketObjects a-very-long-bucket-name-123456789012' });
    display?.finish();
    expect(stream.written[1]?.replace('\r\x1b[2K', '')).toHaveLength(29);
  });

  it('stays quiet when not a terminal or in CI', () => {
    expect(progressDisplay(terminal(false), {})).toBeUndefined();
    expect(progressDisplay(terminal(true), { CI: 'true' })).toBeUndefined();
    const display = progressDisplay(terminal(true), { CI: 'false' });
    expect(display).toBeDefined();
    display?.finish();
  });

  it('names the call it waits for, where it went and for how long, counting the seconds up without being told', () => {
    vi.useFakeTimers();
    let now = 0;
    const pending = new PendingCalls();
    const stream = terminal(true, 120);
    const display = progressDisplay(stream, {}, { pending, now: () => now })!;
    const call = { action: 'sts:GetCallerIdentity', startedAt: 0 };
    pending.add(call);
    vi.advanceTimersByTime(250);
    // Before anything was collected, the first call is named at once.
    expect(lines(stream.written).at(-1)).toBe('waiting 0 s for sts:GetCallerIdentity');
    Object.assign(call, { endpoint: 'https://sts.eu-west-1.amazonaws.com' });
    now = 3400;
    vi.advanceTimersByTime(250);
    expect(lines(stream.written).at(-1)).toBe('waiting 3 s for sts:GetCallerIdentity (sts.eu-west-1.amazonaws.com)');
    pending.delete(call);
    display.onProgress({ done: 5, total: 49, label: 'subnets' });
    // While collecting, a call shows only once it has waited a second.
    const logs = { action: 'logs:DescribeLogGroups', startedAt: now, endpoint: 'http://127.0.0.1:4566' };
    pending.add(logs);
    vi.advanceTimersByTime(250);
    expect(lines(stream.written).at(-1)).toBe('collecting 5/49 subnets');
    now += 2000;
    vi.advanceTimersByTime(250);
    expect(lines(stream.written).at(-1)).toBe('collecting 5/49 subnets · waiting 2 s for logs:DescribeLogGroups (127.0.0.1:4566)');
    // Nothing changed: nothing is written again.
    const count = stream.written.length;
    vi.advanceTimersByTime(250);
    expect(stream.written).toHaveLength(count);
    display.finish();
    now += 5000;
    vi.advanceTimersByTime(5000);
    expect(stream.written.at(-1)).toBe('\r\x1b[2K');
  });
});
