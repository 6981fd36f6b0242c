// Ctrl-C during `lab-grader batch`, as a person presses it: the built bin grades a class of 20
// live students through their roles against an AWS stand-in on 127.0.0.1 that holds the reads
// of the students the test has not let through yet. SIGINT then finds a gradebook, an overview,
// no empty folder and the command that resumes; the resume ends the class as an uninterrupted
// run does (timestamps aside); a second Ctrl-C ends the process at once.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, start } from '../support/cli.js';

const CLASS = 20;
const ROLE = (index: number): string => `arn:aws:iam::${210000000000 + index}:role/lab-grader-readonly`;

/** An AWS stand-in: STS assumes each student's role and names their account; every other read is refused. */
class Standin {
  server!: Server;
  url = '';
  /** Students (by number) whose reads are answered; the others wait until `release`. */
  open = CLASS;
  private readonly held: (() => void)[] = [];

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => this.answer(request, body, response));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  release(): void {
    this.open = CLASS;
    for (const answer of this.held.splice(0)) answer();
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(request: IncomingMessage, body: string, response: ServerResponse): void {
    const form = new URLSearchParams(body);
    const action = form.get('Action') ?? String(request.headers['x-amz-target'] ?? 'rest');
    if (action === 'AssumeRole') {
      // The student's number goes into the key id their reads are signed with.
      const student = Number(/-live(\d+)$/.exec(form.get('RoleSessionName') ?? '')?.[1]);
      return this.xml(response, 200, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIASTUDENT${String(student).padStart(9, '0')}</AccessKeyId><SecretAccessKey>studentSecretExample${String(student).padStart(20, '0')}</SecretAccessKey>
<SessionToken>FwoGZXIvYXdzEXAMPLESTUDENT${student}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::${210000000000 + student}:assumed-role/lab-grader-readonly/lab-grader-live${student}</Arn><AssumedRoleId>AROAEXAMPLE:s${student}</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>assume-${student}</RequestId></ResponseMetadata></AssumeRoleResponse>`);
    }
    const student = Number(/Credential=ASIASTUDENT(\d{9})\//.exec(String(request.headers.authorization ?? ''))?.[1] ?? 0);
    const reply = (): void => {
      if (action === 'GetCallerIdentity' && student === 0) {
        // The instructor's own credentials: an account of their own, not a student's.
        return this.xml(response, 200, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
<Arn>arn:aws:iam::111122223333:user/instructor</Arn><UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account>
</GetCallerIdentityResult><ResponseMetadata><RequestId>caller-instructor</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
      }
      if (action === 'GetCallerIdentity') {
        return this.xml(response, 200, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
<Arn>arn:aws:sts::${210000000000 + student}:assumed-role/lab-grader-readonly/lab-grader-live${student}</Arn><UserId>AROAEXAMPLE:s${student}</UserId><Account>${210000000000 + student}</Account>
</GetCallerIdentityResult><ResponseMetadata><RequestId>caller-${student}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
      }
      if (request.headers['x-amz-target']) {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `denied-${student}-${action}` });
        response.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'denied by the test stand-in' }));
        return;
      }
      this.xml(response, 403, `<ErrorResponse><Error><Code>AccessDenied</Code><Message>denied by the test stand-in</Message></Error><RequestId>denied-${student}-${action}</RequestId></ErrorResponse>`);
    };
    // The credentials check is always answered: it gives up within 2 × 7 s, which a loaded
    // machine can spend on the open students. A held lab read waits for its 30 s request
    // deadline and the retries after it, far longer than the open students take.
    if (student > this.open && action !== 'GetCallerIdentity') this.held.push(reply);
    else reply();
  }

  private xml(response: ServerResponse, status: number, body: string): void {
    response.writeHead(status, { 'content-type': 'text/xml' });
    response.end(body);
  }
}

let work: string;
let roster: string;
const standin = new Standin();

beforeAll(async () => {
  await standin.start();
  work = await mkdtemp(join(tmpdir(), 'lab-grader-interrupt-cli-'));
  roster = join(work, 'roster.yaml');
  const students = Array.from({ length: CLASS }, (_, index) => `  - id: live${String(index + 1).padStart(2, '0')}\n    roleArn: ${ROLE(index + 1)}\n    externalId: course-2026-student-${index + 1}\n`);
  await writeFile(roster, `students:\n${students.join('')}`);
});
afterAll(async () => {
  await standin.close();
  if (work) await rm(work, { recursive: true, force: true });
});

function environment(): NodeJS.ProcessEnv {
  return {
    AWS_ENDPOINT_URL: standin.url,
    AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEINSTRUC01',
    AWS_SECRET_ACCESS_KEY: 'instructorSecretExampleinstructorSecret0',
    AWS_REGION: 'eu-west-1',
    AWS_PROFILE: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_CONFIG_FILE: join(work, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'none'),
  };
}

function args(out: string, extra: string[] = []): string[] {
  return ['batch', roster, '--out', out, '--region', 'eu-west-1', '--concurrency', '4', '--format', 'html,junit', ...extra];
}

/** A running batch: its stderr so far, a wait for a line in it, and how it ended. */
function follow(child: ChildProcessWithoutNullStreams) {
  let stderr = '';
  const waiting: { pattern: RegExp; resolve: (text: string) => void }[] = [];
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const wait of waiting.filter((candidate) => candidate.pattern.test(stderr))) wait.resolve(stderr);
  });
  return {
    ended,
    /** Resolves once stderr holds `pattern`; fails if the process ends first. */
    until: (pattern: RegExp): Promise<string> =>
      pattern.test(stderr)
        ? Promise.resolve(stderr)
        : Promise.race([
            new Promise<string>((resolve) => waiting.push({ pattern, resolve })),
            ended.then(() => (pattern.test(stderr) ? stderr : Promise.reject(new Error(`ended before ${pattern}:\n${stderr}`)))),
          ]),
  };
}

/**
 * Every file under `dir` with its text, times and durations made equal ("timestamps aside"),
 * and so the evidence's digest of the snapshot, which holds them.
 */
async function filesUnder(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((found) => found.isFile())) {
    const path = join(entry.parentPath, entry.name);
    let text = await readFile(path, 'utf8');
    if (entry.name === 'evidence.json') text = text.replace(/"sha256": "[0-9a-f]{64}"/, '"sha256": "<digest of the snapshot>"');
    text = text
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?/g, '<time>')
      .replace(/"(durationMs|latencyMs|ms)": \d+/g, '"$1": 0')
      .replace(/\b(in|took) \d+(?:\.\d+)? (m?s)\b/g, '$1 0 $2')
      .replace(/time="[\d.]+"/g, 'time="0"');
    files.set(path.slice(dir.length + 1), text);
  }
  return files;
}

async function emptyFolders(dir: string): Promise<string[]> {
  const empty: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).filter((found) => found.isDirectory())) {
    if ((await readdir(join(dir, entry.name))).length === 0) empty.push(entry.name);
  }
  return empty;
}

describe('Ctrl-C during lab-grader batch', { timeout: 180_000 }, () => {
  it('writes the gradebook and the overview of the class so far, leaves no empty folder, prints the resume command, and the resume ends as an uninterrupted run', async () => {
    const whole = await run(args(join(work, 'whole')), { env: environment() });
    expect(whole.code, whole.stderr).toBe(0);

    const out = join(work, 'stopped');
    standin.open = 5;
    const child = start(args(out, ['--grace', '1']), { env: environment() });
    const batch = follow(child);
    // Five students graded; the next ones wait on the stand-in: Ctrl-C.
    await batch.until(/^\[5\/20\] /m);
    child.kill('SIGINT');
    const stderr = await batch.until(/class overview: [^\n]*\n[\s\S]*Resume with:\n.*\n/);
    const { code } = await batch.ended;
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('Ctrl-C: stopping. No more students are started; those being graded have up to 1 s to finish');
    expect(stderr).toMatch(/^20 students: 5 graded, .* 15 not graded yet; /m);
    const [, resume] = /Interrupted: 15 students not graded yet, marked so in the gradebook and the overview\. Resume with:\n {2}(.+)\n/.exec(stderr) ?? [];
    expect(resume).toBe(`lab-grader ${args(out, ['--grace', '1']).join(' ')}`);

    const gradebook = await readFile(join(out, 'gradebook.csv'), 'utf8');
    expect(gradebook.match(/,not graded yet,/g)).toHaveLength(15);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain('15 not graded yet (interrupted)');
    expect(await emptyFolders(out)).toEqual([]);

    // The resume, as printed, with the stand-in answering everyone.
    standin.release();
    const resumed = await run(resume!.split(' ').slice(1), { env: environment() });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/^20 students: 15 graded, 0 graded again, 5 kept from an earlier run/m);
    expect(await filesUnder(out)).toEqual(await filesUnder(join(work, 'whole')));
  });

  it('stops the same way on SIGTERM, exiting 143', async () => {
    const out = join(work, 'terminated');
    standin.open = 3;
    const child = start(args(out, ['--grace', '1']), { env: environment() });
    const batch = follow(child);
    await batch.until(/^\[3\/20\] /m);
    child.kill('SIGTERM');
    const stderr = await batch.until(/Resume with:\n.*\n/);
    expect((await batch.ended).code, stderr).toBe(143);
    expect(stderr).toContain('SIGTERM: stopping.');
    expect(stderr).toMatch(/^20 students: 3 graded, .* 17 not graded yet; /m);
    const gradebook = await readFile(join(out, 'gradebook.csv'), 'utf8');
    expect(gradebook.match(/,not graded yet,/g)).toHaveLength(17);
    expect(await emptyFolders(out)).toEqual([]);
    standin.release();
  });

  it('ends at once on a second Ctrl-C, without waiting for the students in flight', async () => {
    const out = join(work, 'twice');
    standin.open = 2;
    const child = start(args(out, ['--grace', '600']), { env: environment() });
    const batch = follow(child);
    await batch.until(/^\[2\/20\] /m);
    child.kill('SIGINT');
    await batch.until(/Ctrl-C again stops at once/);
    child.kill('SIGINT');
    // Ended by the signal, long before the 600 s of grace: the class was not written.
    expect(await batch.ended).toEqual({ code: null, signal: 'SIGINT' });
    await expect(readFile(join(out, 'gradebook.csv'))).rejects.toThrow(/ENOENT/);
    expect(await emptyFolders(out)).toEqual([]);
    standin.release();
  });
});
