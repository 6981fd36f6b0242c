// scripts/bundle.mjs's rewrite of the AWS SDK's schema modules: computed trait keys of string
// constants become the literal keys they are, so esbuild can drop the schemas the bin never uses.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { lazyChildProcess, literalSchemaKeys } from '../../scripts/bundle.mjs';

describe('literalSchemaKeys', () => {
  it('writes each computed key of a string constant as that string, and changes nothing else', () => {
    const source = [
      'const _xN = "xmlName";',
      'const _e = "error";',
      'const _q = "say \\"hi\\"";',
      'const n0 = "com.amazonaws.ec2";',
      'export var Vpc$ = [3, n0, _V, 0, [_VI], [[0, { [_xN]: "vpcId" }]]];',
      'export var Err$ = [-3, n0, _E, { [_e]: _c, [_q]: 1, [_unknown]: 2, [n0]: 3 }, [_m], [0]];',
    ].join('\n');
    expect(literalSchemaKeys(source)).toBe(
      [
        'const _xN = "xmlName";',
        'const _e = "error";',
        'const _q = "say \\"hi\\"";',
        'const n0 = "com.amazonaws.ec2";',
        'export var Vpc$ = [3, n0, _V, 0, [_VI], [[0, { "xmlName": "vpcId" }]]];',
        'export var Err$ = [-3, n0, _E, { "error": _c, "say \\"hi\\"": 1, [_unknown]: 2, [n0]: 3 }, [_m], [0]];',
      ].join('\n'),
    );
  });

  it('leaves the installed EC2 schemas with no computed key of a constant', () => {
    const path = createRequire(import.meta.url).resolve('@aws-sdk/client-ec2').replace(/dist-cjs\/index\.js$/, 'dist-es/schemas/schemas_0.js');
    const source = readFileSync(path, 'utf8');
    expect(source).toMatch(/\[_xN\]:/);
    expect(literalSchemaKeys(source)).not.toMatch(/\[_[A-Za-z0-9]+\]:/);
  });
});

describe('lazyChildProcess', () => {
  const installed = readFileSync(createRequire(import.meta.url).resolve('commander').replace(/index\.js$/, 'lib/command.js'), 'utf8');

  it('has the installed commander require node:child_process only where it spawns, and changes nothing else', () => {
    const lazy = lazyChildProcess(installed);
    expect(lazy).not.toContain("const childProcess = require('node:child_process');");
    expect(lazy).toContain("const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };");
    expect(lazy.split('\n').length).toBe(installed.split('\n').length);
    expect(lazy.match(/childProcess\.spawn\(/g)?.length).toBe(installed.match(/childProcess\.spawn\(/g)?.length);
  });

  it('stops the build when commander reads otherwise: required another way, or another function of it used', () => {
    expect(() => lazyChildProcess(installed.replace("require('node:child_process')", "require('child_process')"))).toThrow(/commanderSpawnsLazily/);
    expect(() => lazyChildProcess(`${installed}\nchildProcess.fork('x');\n`)).toThrow(/commanderSpawnsLazily/);
  });
});
