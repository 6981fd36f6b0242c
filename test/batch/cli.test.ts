// `lab-grader batch` and `lab-grader watch` end to end: the built bin run by node, as a user runs it.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, start } from '../support/cli.js';
import { anotherAccount, example } from '../support/fixtures.js';
import { readGradebook, writeClass, writeRubricWithStep21Doubled } from './support.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'lab-grader-batch-cli-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('lab-grader batch', { timeout: 60_000 }, () => {
  it('an --out that cannot be written (inside /proc) exits 2 at once', async () => {
    const { roster } = await writeClass(join(work, 'proc-class'), 1);
    const run = await cli(['batch', roster, '--out', '/proc/lab-grader-class']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('--out /proc/lab-grader-class cannot be written (ENOENT)');
  });

  it('grades a roster, prints a line per student when piped, names the students it could not grade, and exits 4', async () => {
    const { roster } = await writeClass(join(work, 'class'), 6);
    const out = join(work, 'class-out');
    const run = await cli(['batch', roster, '--out', out, '--format', 'html,junit', '--concurrency', '2']);
    expect(run.code, run.stderr).toBe(4);
    // Piped: one line per finished student, with score, seconds and flags (the class is built from the bundled examples).
    const progress = run.stderr.split('\n').filter((line) => line.startsWith('['));
    expect(progress).toHaveLength(6);
    expect(progress.find((line) => line.includes(' s0001 '))).toMatch(/^\[\d\/6\] s0001 \d+\.\d\d \/ 10\.00, bonus 1\.00 · \d+\.\d s · flags: bundled-example$/);
    expect(progress.find((line) => line.includes(' missing-file '))).toMatch(/^\[\d\/6\] missing-file could not be graded: cannot read the snapshot .* · \d+\.\d s$/);
    expect(run.stderr).toMatch(/^6 students: 4 graded, 0 graded again, 0 kept from an earlier run, 2 could not be graded, 4 flagged; \d+\.\d s\.$/m);
    expect(run.stderr).toMatch(/^ {2}broken-json \(.*roster\.yaml:\d+\): .*not valid JSON/m);
    expect(run.stderr).toContain('Integrity flags (--integrity warn: points kept, look before the grades count):');
    expect(run.stderr).toContain(`gradebook: ${join(out, 'gradebook.csv')}`);
    expect((await readdir(join(out, 's0001'))).sort()).toEqual(['evidence.json', 'junit.xml', 'report.html', 'scorecard.json']);
    expect(readGradebook(await readFile(join(out, 'gradebook.csv'), 'utf8')).rows.map((row) => row.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'error', 'error']);

    const again = await cli(['batch', roster, '--out', out, '--format', 'html,junit']);
    expect(again.stderr).toMatch(/^6 students: 0 graded, 0 graded again, 4 kept from an earlier run \(--force grades them again from the evidence kept, --recollect reads their accounts again\), 2 could not be graded, 4 flagged/m);

    // A rubric fix: the run says who was graded again and why, and the gradebook says with what.
    const fixed = await cli(['batch', roster, '--out', out, '--format', 'html,junit', '--rubric', await writeRubricWithStep21Doubled(work)]);
    expect(fixed.stderr).toMatch(/^6 students: 0 graded, 4 graded again \(rubric changed: 4\), 0 kept from an earlier run, 2 could not be graded, 4 flagged/m);
    expect(fixed.stderr).toMatch(/^\[\d\/6\] s0001 \d+\.\d\d \/ 10\.25, bonus 1\.00 \(graded again: rubric changed\) · /m);
  });

  it('exits 1 when a student scored below --min-score, naming them', async () => {
    const dir = join(work, 'min-score');
    await mkdir(dir, { recursive: true });
    // Two students' own accounts (the bundled examples would be flagged, which exits 5).
    await writeFile(join(dir, 's0001.json'), JSON.stringify(anotherAccount(61)));
    await writeFile(join(dir, 's0002.json'), JSON.stringify(anotherAccount(62, example('mistakes'))));
    const roster = join(dir, 'two.yaml');
    await writeFile(roster, 'students:\n  - id: s0001\n    snapshot: s0001.json\n  - id: s0002\n    snapshot: s0002.json\n');
    const run = await cli(['batch', roster, '--out', join(dir, 'out'), '--min-score', '9.5']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^Below --min-score 9\.5: s0002 \(\d+\.\d+\)$/m);
    expect((await cli(['batch', roster, '--out', join(dir, 'out'), '--min-score', '5'])).code).toBe(0);
  });

  it('refuses a broken roster with file:line and exit 2, before grading anyone', async () => {
    const roster = join(work, 'bad.yaml');
    await writeFile(roster, 'students:\n  - id: alice\n    profile: academy\n    snapshot: a.json\n');
    const run = await cli(['batch', roster, '--out', join(work, 'never')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${roster}:3: student "alice": unknown field "profile": write awsProfile`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    await expect(readdir(join(work, 'never'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses a concurrency of 0 and an unknown format (exit 2)', async () => {
    const { roster } = await writeClass(join(work, 'flags'), 3);
    expect((await cli(['batch', roster, '--concurrency', '0'])).code).toBe(2);
    const format = await cli(['batch', roster, '--format', 'pdf']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('Unknown report format "pdf"');
  });
});

describe('lab-grader watch', { timeout: 60_000 }, () => {
  let server: Server;
  const sockets: Socket[] = [];
  let endpoint: string;
  beforeAll(async () => {
    // Accepts connections and never answers: the first round is still collecting when Ctrl-C comes.
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('stops cleanly on Ctrl-C during a round: a final line and exit 0', async () => {
    const child = start(['watch', '--interval', '5'], {
      env: {
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: 'AKIAFAKEEXAMPLEKEY01',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        AWS_REGION: 'eu-west-1',
        AWS_PROFILE: '',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Wait until the grader is asking STS who it is, then press Ctrl-C.
    for (let waited = 0; sockets.length === 0 && waited < 15_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sockets.length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('stopping (Ctrl-C again to quit at once)...');
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('Stopped before the first round finished.');
  });
});
