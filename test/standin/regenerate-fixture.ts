// Regenerates deployed.snapshot.json: what the real collector reads from an AWS stand-in
// after the account setup and a deploy of the reference system, with the grader's probes of
// the running reference service. Empties the stand-in before and after.
// usage: LAB_GRADER_STANDIN_URL=http://127.0.0.1:5000 npm run standin:fixture
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUCKET, HOW_TO_RUN, deployReferenceLab, expectCode, grade, resetStandin, startService } from './standin.js';

export const FIXTURE = fileURLToPath(new URL('./deployed.snapshot.json', import.meta.url));

/**
 * The stand-in makes access key ids shaped like real ones; the committed fixture holds
 * obviously fake ones instead, each id replaced by the same fake wherever it appears (the
 * checks count keys, they never read their value).
 */
async function maskAccessKeyIds(file: string): Promise<void> {
  const fakes = new Map<string, string>();
  const text = (await readFile(file, 'utf8')).replace(/(?<![A-Z0-9])AKIA[A-Z0-9]{16}(?![A-Z0-9])/g, (id) => {
    if (!fakes.has(id)) fakes.set(id, `AKIAEXAMPLESTANDIN${String(fakes.size + 1).padStart(2, '0')}`);
    return fakes.get(id)!;
  });
  await writeFile(file, text);
}

async function main(url: string): Promise<void> {
  const adminKey = await deployReferenceLab(url);
  const service = await startService(url, BUCKET);
  const reports = await mkdtemp(join(tmpdir(), 'lab-grader-fixture-'));
  try {
    expectCode('grade', await grade(url, ['--alb-url', service.url, '--save-snapshot', FIXTURE, '--format', 'json', '--out', reports], adminKey), 0);
  } finally {
    await service.stop();
    await rm(reports, { recursive: true, force: true });
    await resetStandin(url);
  }
  await maskAccessKeyIds(FIXTURE);
  console.log(`wrote ${FIXTURE}`);
}

const url = process.env.LAB_GRADER_STANDIN_URL;
if (!url) {
  console.error(`no stand-in: ${HOW_TO_RUN}`);
  process.exitCode = 2;
} else {
  await main(url);
}
