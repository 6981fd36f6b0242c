// Run by grade.test.ts in its own process with counting-hooks.mjs: a live grade of a mocked
// account (probing a local app), then a regrade of the snapshot it saved, each with the calls
// of the resolver and of the params derivation counted. Prints one JSON line.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gradeCommand } from '../../src/cli/commands/grade.js';
import { mockAccount } from '../collect/mock-account.js';
import { json, startServer } from '../probe/servers.js';
import { anotherAccount } from '../support/fixtures.js';

interface Counts {
  resolveLab: number;
  paramsFor: number;
}

const counts = (): Counts => {
  const seen = (globalThis as { labGraderCounts?: Partial<Counts> }).labGraderCounts ?? {};
  return { resolveLab: seen.resolveLab ?? 0, paramsFor: seen.paramsFor ?? 0 };
};
const since = (before: Counts): Counts => ({ resolveLab: counts().resolveLab - before.resolveLab, paramsFor: counts().paramsFor - before.paramsFor });

const app = await startServer((request, _body, response) => (request.url === '/health' ? json(response, 200, { status: 'ok' }) : json(response, 404, { detail: 'Not Found' })));
const work = await mkdtemp(join(tmpdir(), 'lab-grader-counts-'));
// A student's own account, not the bundled example (which verification flags in a file).
const account = mockAccount(anotherAccount(1));
try {
  const saved = join(work, 'live.snapshot.json');
  const common = { param: [], color: false, format: 'json', quiet: true };
  let before = counts();
  const liveCode = await gradeCommand({ ...common, out: join(work, 'live'), region: 'eu-west-1', albUrl: app.url, saveSnapshot: saved });
  const live = since(before);
  before = counts();
  const regradeCode = await gradeCommand({ ...common, out: join(work, 'regrade'), snapshot: saved });
  const regrade = since(before);
  const same = (await readFile(join(work, 'regrade', 'scorecard.json'), 'utf8')) === (await readFile(join(work, 'live', 'scorecard.json'), 'utf8'));
  process.stdout.write(`${JSON.stringify({ live, liveCode, regrade, regradeCode, same, probed: app.requests.includes('GET /health') })}\n`);
} finally {
  account.restore();
  await app.close();
  await rm(work, { recursive: true, force: true });
}
