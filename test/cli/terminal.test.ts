// Colour and width as the terminal and the environment ask, and where notes and --verbose go.
import { describe, expect, it } from 'vitest';
import { consoleWidth, diagnostics, useColor } from '../../src/cli/terminal.js';

const tty = { isTTY: true, columns: 120 };
const pipe = { isTTY: false };

describe('useColor', () => {
  it.each([
    ['a terminal', true, tty, {}, true],
    ['a pipe', true, pipe, {}, false],
    ['--no-color on a terminal', false, tty, {}, false],
    ['--no-color beats FORCE_COLOR', false, tty, { FORCE_COLOR: '1' }, false],
    ['NO_COLOR on a terminal', true, tty, { NO_COLOR: '1' }, false],
    ['an empty NO_COLOR is not set (no-color.org)', true, tty, { NO_COLOR: '' }, true],
    ['FORCE_COLOR=1 on a pipe', true, pipe, { FORCE_COLOR: '1' }, true],
    ['an empty FORCE_COLOR on a pipe', true, pipe, { FORCE_COLOR: '' }, true],
    ['FORCE_COLOR beats NO_COLOR, as in Node', true, pipe, { FORCE_COLOR: '2', NO_COLOR: '1' }, true],
    ['FORCE_COLOR=0 on a terminal', true, tty, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false on a terminal', true, tty, { FORCE_COLOR: 'false' }, false],
  ] as const)('%s', (_name, flag, stream, env, expected) => {
    expect(useColor(flag, stream, env)).toBe(expected);
  });
});

describe('consoleWidth', () => {
  it('follows the terminal, within 60 and 160 columns, and is 100 when piped', () => {
    expect(consoleWidth({ isTTY: true, columns: 120 })).toBe(120);
    expect(consoleWidth({ isTTY: true, columns: 30 })).toBe(60);
    expect(consoleWidth({ isTTY: true, columns: 400 })).toBe(160);
    expect(consoleWidth({ isTTY: false, columns: 120 })).toBe(100);
    expect(consoleWidth({ isTTY: true })).toBe(100);
  });
});

describe('diagnostics', () => {
  const written = (options: { quiet?: boolean; verbose?: boolean }) => {
    let text = '';
    const log = diagnostics(options, { write: (chunk: string) => (text += chunk) });
    log.note('reports written: x');
    log.onCall?.({ action: 'ec2:DescribeVpcs', region: 'eu-west-1', ms: 42, outcome: 'ok' });
    return text;
  };
  it('prints notes, and AWS calls only with --verbose', () => {
    expect(written({})).toBe('reports written: x\n');
    expect(written({ verbose: true })).toBe('reports written: x\naws ec2:DescribeVpcs eu-west-1 42 ms ok\n');
  });
  it('prints nothing with --quiet', () => {
    expect(written({ quiet: true })).toBe('');
  });
});
