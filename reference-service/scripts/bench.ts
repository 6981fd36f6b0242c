// Load benchmark of POST /predict: starts the service pinned to one core (taskset -c 0 when
// available), drives it with autocannon, and prints requests/s and latency. Prints, never asserts.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { exportModel } from './export-model.js';

const durationSeconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const serviceDir = fileURLToPath(new URL('../', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const ok = await fetch(url).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the service did not become healthy at ${url}`);
}

const modelDir = await mkdtemp(join(tmpdir(), 'sentiment-bench-model-'));
await exportModel(modelDir);
const port = await freePort();
const pinned = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const command = [process.execPath, '--import', 'tsx', join(serviceDir, 'src/main.ts')];
const [program, ...args] = pinned ? ['taskset', '-c', '0', ...command] : command;
const service = spawn(program!, args, {
  cwd: serviceDir,
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', MODEL_DIR: modelDir, LOG_LEVEL: 'info' },
  // The service still writes its one JSON line per request, as in production; the bench discards it.
  stdio: ['ignore', 'ignore', 'inherit'],
});

try {
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(`${base}/health`);
  const body = JSON.stringify({ text: 'I absolutely love this product, it is wonderful and works perfectly.' });
  // A short warm-up, so the JIT has compiled the hot path before the measured run.
  await autocannon({ url: `${base}/predict`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration: 2 });
  const result = await autocannon({
    url: `${base}/predict`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: durationSeconds,
  });
  console.log(`POST /predict, ${connections} connections, ${durationSeconds} s, service ${pinned ? 'pinned to CPU 0 (taskset -c 0)' : 'not pinned (taskset not available)'}, Node ${process.version}`);
  console.log(`  requests/s  mean ${result.requests.average.toFixed(0)}  (min ${result.requests.min}, max ${result.requests.max})`);
  console.log(`  latency ms  p50 ${result.latency.p50}  p90 ${result.latency.p90}  p99 ${result.latency.p99}  max ${result.latency.max}`);
  console.log(`  responses   ${result['2xx']} 2xx, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
} finally {
  service.kill('SIGTERM');
  await rm(modelDir, { recursive: true, force: true });
}
