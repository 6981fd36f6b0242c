// How fast the CLI starts (not a test; asserts nothing): `grade --snapshot` on the complete
// example, as whole processes, against an empty `node -e 0` in the same run. The published bin
// (dist/bin, the esbuild bundle) and the plain TypeScript build (dist/src, one file per module)
// take turns, so the machine's load falls on all three alike. Needs `npm run build` first.
//
//   npm run bench:start            10 rounds
//   npm run bench:start -- 20      20 rounds
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLine, median, timeProcess, type Timed } from './support/processes.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const rounds = Number(process.argv[2] ?? 10);
const out = mkdtempSync(join(tmpdir(), 'lab-grader-bench-start-'));
const regrade = ['grade', '--snapshot', join(root, 'examples/complete-lab.snapshot.json'), '--format', 'console,json', '--out', out];

const runs = {
  'node -e 0': [process.execPath, '-e', '0'],
  'bundled bin (dist/bin)': [process.execPath, join(root, 'dist/bin/lab-grader.js'), ...regrade],
  'module per file (dist/src)': [process.execPath, join(root, 'dist/src/cli/main.js'), ...regrade],
} as const;
type Name = keyof typeof runs;

for (const [name, [, script]] of Object.entries(runs)) {
  if (script !== '-e' && !existsSync(script!)) {
    console.error(`${name}: ${script} is missing; run npm run build first`);
    process.exit(2);
  }
}

const results = new Map<Name, Timed[]>(Object.keys(runs).map((name) => [name as Name, []]));
const loadBefore = loadLine();
try {
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, [command, ...args]] of Object.entries(runs) as [Name, readonly string[]][]) {
      const timed = await timeProcess(command!, args, { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
      if (timed.code !== 0) throw new Error(`${name} exited ${timed.code}: ${timed.stderr}`);
      results.get(name)!.push(timed);
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

const wall = (name: Name) => median(results.get(name)!.map((run) => run.wallMs));
const cpu = (name: Name) => {
  const values = results.get(name)!.map((run) => run.cpuMs);
  return values.includes(null) ? null : median(values as number[]);
};
console.log(`start benchmark: grade --snapshot examples/complete-lab.snapshot.json --format console,json, ${rounds} rounds, medians`);
console.log(`machine: ${availableParallelism()} cores, Node ${process.version}; before: ${loadBefore}; after: ${loadLine()}`);
const empty = wall('node -e 0');
// Each round's own ratio too: a burst of load from other jobs falls on the runs of one round alike.
const roundRatio = (name: Name) => median(results.get(name)!.map((run, round) => run.wallMs / results.get('node -e 0')![round]!.wallMs));
for (const name of results.keys()) {
  const cpuMs = cpu(name);
  console.log(
    `${name.padEnd(28)} wall ${wall(name).toFixed(0).padStart(5)} ms  cpu ${cpuMs === null ? '  n/a' : cpuMs.toFixed(0).padStart(5)} ms  peak ${median(results.get(name)!.map((run) => run.peakRssMiB ?? Number.NaN)).toFixed(0).padStart(3)} MiB  ` +
      `wall / node -e 0: ${(wall(name) / empty).toFixed(2)}× (median of each round's: ${roundRatio(name).toFixed(2)}×)`,
  );
}
console.log(
  `bundled vs module per file: ${(wall('module per file (dist/src)') / wall('bundled bin (dist/bin)')).toFixed(2)}× less wall (goal: bundled ≤ 2.5× node -e 0)`,
);
