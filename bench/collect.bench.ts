// Benchmark (not a test): a full collection of a complete-lab-sized account where every
// mocked AWS call takes 100 ms. Prints wall time, calls and rounds; asserts nothing.
// Run: npm run bench:collect
import { performance } from 'node:perf_hooks';
import { DEFAULT_CONCURRENCY } from '../src/collect/index.js';
import { readLiveAccount } from '../src/live/index.js';
import { example, labParams } from '../test/support/fixtures.js';
import { mockAccount } from '../test/collect/mock-account.js';

const CALL_MS = 100;
const RUNS = 3;

const account = mockAccount(example('complete-lab'), { delayMs: CALL_MS });
const params = labParams();
const rows: { run: number; wallMs: number; calls: number; rounds: number }[] = [];
try {
  for (let run = 1; run <= RUNS; run += 1) {
    const started = performance.now();
    // As the grade command reads an account: collect, resolve the lab, probe.
    const { snapshot } = await readLiveAccount({
      params,
      region: 'eu-west-1',
      // The probes are HTTP, not AWS: out of this measurement.
      probe: async (target) => ({ target, results: [] }),
    });
    rows.push({ run, wallMs: Math.round(performance.now() - started), calls: snapshot.collector.calls, rounds: snapshot.collector.rounds });
  }
} finally {
  account.restore();
}

console.log(`collect benchmark: complete-lab account, every AWS call ${CALL_MS} ms, concurrency ${DEFAULT_CONCURRENCY}`);
console.table(rows);
const best = Math.min(...rows.map((row) => row.wallMs));
const last = rows[rows.length - 1];
console.log(
  `best wall time ${best} ms for ${last?.calls} calls in ${last?.rounds} rounds ` +
    `(sequential would take ${(last?.calls ?? 0) * CALL_MS} ms; targets: <= 4 rounds, < 1500 ms)`,
);
