// `grade --role-arn`: the student's account read live through their role, assumed with the
// caller's own credentials. A local stand-in answers every AWS call on 127.0.0.1: STS for the
// role and the caller, AccessDenied for the rest (the grade still completes, as `error`).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studentExternalId } from '../../src/role-names.js';
import { root, run, type Run } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'lab-grader-role-'));
const ROLE = 'arn:aws:iam::210987654321:role/lab-grader-readonly';
const SECRET = '4f1c9a0e5b7d2c3e8f6a1b0c9d8e7f6a';
const ASSUMED = 'arn:aws:sts::210987654321:assumed-role/lab-grader-readonly/lab-grader-grade';

const ASSUMED_ROLE = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIAROLEEXAMPLE00001</AccessKeyId><SecretAccessKey>roleSecretExampleroleSecretExample0000</SecretAccessKey>
<SessionToken>FwoGZXIvYXdzEXAMPLEROLETOKEN</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>${ASSUMED}</Arn><AssumedRoleId>AROAEXAMPLE:lab-grader-grade</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>assume-req-1</RequestId></ResponseMetadata></AssumeRoleResponse>`;
/** The instructor's own account, whose access key signs the AssumeRole. */
const GRADER_ACCOUNT = '111122223333';
/** A role in the instructor's own account: never a student's. */
const OWN_ROLE = `arn:aws:iam::${GRADER_ACCOUNT}:role/lab-grader-readonly`;
const INSTRUCTOR_KEY = 'AKIAEXAMPLEINSTRUC01';
/** sts:GetCallerIdentity as AWS answers it: the instructor's user for their key, the assumed role for the role's. */
const caller = (signer: string) => {
  const [arn, userId, account] =
    signer === INSTRUCTOR_KEY ? [`arn:aws:iam::${GRADER_ACCOUNT}:user/instructor`, 'AIDAINSTRUCTOREXAMPLE', GRADER_ACCOUNT] : [ASSUMED, 'AROAEXAMPLE:lab-grader-grade', '210987654321'];
  return `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
<Arn>${arn}</Arn><UserId>${userId}</UserId><Account>${account}</Account>
</GetCallerIdentityResult><ResponseMetadata><RequestId>caller-req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
};
const DENIED = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>
<Message>User: arn:aws:iam::111122223333:user/instructor is not authorized to perform: sts:AssumeRole on resource: ${ROLE}</Message></Error><RequestId>deny-1</RequestId></ErrorResponse>`;

let server: Server;
let endpoint: string;
let denyRole = false;
const assumeCalls: Record<string, string>[] = [];
const signers = new Set<string>();
/** How often the instructor's own credentials were identified (the own-account check). */
let instructorIdentified = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const signer = /Credential=([A-Z0-9]+)\//.exec(String(request.headers.authorization ?? ''))?.[1] ?? 'unsigned';
      signers.add(signer);
      const action = new URLSearchParams(body).get('Action');
      if (action === 'AssumeRole') {
        assumeCalls.push(Object.fromEntries(new URLSearchParams(body)));
        response.statusCode = denyRole ? 403 : 200;
        response.setHeader('content-type', 'text/xml');
        return response.end(denyRole ? DENIED : ASSUMED_ROLE);
      }
      if (action === 'GetCallerIdentity') {
        if (signer === INSTRUCTOR_KEY) instructorIdentified += 1;
        response.setHeader('content-type', 'text/xml');
        return response.end(caller(signer));
      }
      if (request.headers['x-amz-target']) {
        response.statusCode = 400;
        response.setHeader('content-type', 'application/x-amz-json-1.1');
        return response.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'denied by the test stand-in' }));
      }
      response.statusCode = 403;
      response.setHeader('content-type', 'text/xml');
      response.end('<ErrorResponse><Error><Code>AccessDenied</Code><Message>denied by the test stand-in</Message></Error><RequestId>r</RequestId></ErrorResponse>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  const env = {
    LAB_GRADER_COURSE_SECRET: '',
    ...extraEnv,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: INSTRUCTOR_KEY,
    AWS_SECRET_ACCESS_KEY: 'instructorSecretExampleinstructorSecret0',
    AWS_REGION: 'eu-west-1',
    AWS_PROFILE: '',
    AWS_SESSION_TOKEN: '',
    AWS_CONFIG_FILE: join(work, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'none'),
  };
  return run(args, { env, timeoutMs: 50_000 });
}

describe('lab-grader grade --role-arn', { timeout: 60_000 }, () => {
  it('assumes the role with the external id, reads the account with the role, and keeps it in the snapshot', async () => {
    const saved = join(work, 'snapshot.json');
    const run = await cli(['grade', '--role-arn', ROLE, '--external-id', 'course-2026', '--region', 'eu-west-1', '--format', 'json', '--out', work, '--save-snapshot', saved]);
    expect(run.code, run.stderr).toBe(0);
    expect(assumeCalls[0]).toMatchObject({ RoleArn: ROLE, ExternalId: 'course-2026', RoleSessionName: 'lab-grader-grade', DurationSeconds: '900' });
    // One id for the whole course lets any student's role be assumed for anyone: said, not refused.
    expect(run.stderr).toMatch(/^warning: --external-id without --student is one external id for the whole course/m);
    // The instructor's key signs only the AssumeRole; everything else is read with the role's.
    expect([...signers].sort()).toEqual([INSTRUCTOR_KEY, 'ASIAROLEEXAMPLE00001']);
    const snapshot = JSON.parse(readFileSync(saved, 'utf8')) as { account: string; caller: string };
    expect(snapshot).toMatchObject({ account: '210987654321', caller: ASSUMED });
    const text = readFileSync(saved, 'utf8');
    expect(text).not.toContain('roleSecretExample');
    expect(text).not.toContain('FwoGZXIvYXdzEXAMPLEROLETOKEN');
  });

  it("--student names the session lab-grader-<id> and assumes the role with the student's external id, derived from the course secret", async () => {
    assumeCalls.length = 0;
    const run = await cli(['grade', '--role-arn', ROLE, '--student', 'alice', '--region', 'eu-west-1', '--format', 'json', '--out', join(work, 'alice')], { LAB_GRADER_COURSE_SECRET: SECRET });
    expect(run.code, run.stderr).toBe(0);
    expect(assumeCalls[0]).toMatchObject({ RoleArn: ROLE, ExternalId: studentExternalId(SECRET, 'alice'), RoleSessionName: 'lab-grader-alice' });
    expect(run.stderr).not.toContain('warning');
    expect(run.stderr).not.toContain(SECRET);
  });

  it('exits 3 naming the role and its trust policy when it cannot be assumed', async () => {
    denyRole = true;
    const runs = await Promise.all([
      cli(['grade', '--role-arn', ROLE, '--external-id', 'wrong-id', '--region', 'eu-west-1']),
      cli(['grade', '--role-arn', ROLE, '--student', 'bob', '--region', 'eu-west-1'], { LAB_GRADER_COURSE_SECRET: SECRET }),
    ]);
    denyRole = false;
    expect(runs.map((run) => run.code)).toEqual([3, 3]);
    expect(runs[0]!.stderr).toContain(`could not assume ${ROLE} (AccessDenied)`);
    expect(runs[0]!.stderr).toContain("Check that the role's trust policy lets your account assume it with this external id");
    expect(runs[1]!.stderr).toContain(`could not assume ${ROLE} for student bob (AccessDenied)`);
    expect(runs[1]!.stderr).toContain("does not let your account assume it with bob's external id");
    for (const run of runs) expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses --role-arn with --snapshot, --external-id alone, and a malformed ARN (exit 2)', async () => {
    const runs = await Promise.all([
      cli(['grade', '--role-arn', ROLE, '--snapshot', join(root, 'examples/complete-lab.snapshot.json')]),
      cli(['grade', '--external-id', 'course-2026', '--snapshot', join(root, 'examples/complete-lab.snapshot.json')]),
      cli(['grade', '--role-arn', 'arn:aws:iam::1234:user/bob']),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2]);
    expect(runs[0]!.stderr).toContain('Drop --snapshot or --role-arn');
    expect(runs[1]!.stderr).toContain('--external-id only applies with --role-arn');
    expect(runs[2]!.stderr).toContain('expected an IAM role ARN');
  });
});

describe('lab-grader watch --role-arn', { timeout: 60_000 }, () => {
  it('watches through the role as grade does: assumed with the external id, the account read with the role', async () => {
    assumeCalls.length = 0;
    signers.clear();
    const run = await cli(['watch', '--role-arn', ROLE, '--external-id', 'course-2026', '--region', 'eu-west-1', '--rounds', '1', '--quiet', '--timeout', '30']);
    // The stand-in refuses every read but the caller's identity: watch stops with what to do.
    expect(run.code, run.stderr).toBe(3);
    expect(assumeCalls[0]).toMatchObject({ RoleArn: ROLE, ExternalId: 'course-2026', RoleSessionName: 'lab-grader-watch' });
    expect([...signers].sort()).toEqual([INSTRUCTOR_KEY, 'ASIAROLEEXAMPLE00001']);
    expect(run.stderr).toMatch(/every one of the \d+ reads failed \(mostly AccessDenied\)/);
    expect(run.stdout).toBe('');
  });

  it('exits 3 naming the role when it cannot be assumed, and refuses --external-id alone (exit 2)', async () => {
    denyRole = true;
    const denied = await cli(['watch', '--role-arn', ROLE, '--external-id', 'wrong-id', '--region', 'eu-west-1', '--rounds', '1']);
    denyRole = false;
    expect(denied.code, denied.stderr).toBe(3);
    expect(denied.stderr).toContain(`could not assume ${ROLE} (AccessDenied)`);
    const alone = await cli(['watch', '--external-id', 'course-2026', '--rounds', '1']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--external-id only applies with --role-arn');
  });
});

describe('lab-grader role --student', { timeout: 60_000 }, () => {
  it("prints each student's external id and the one-step set-up that trusts the grading account with it", async () => {
    const run = await cli(['role', '--student', 'alice', '--student', 'bob', '--grader-account', '111122223333', '--template-url', 'https://example-bucket.s3.amazonaws.com/lab-grader-role.cfn.yaml'], {
      LAB_GRADER_COURSE_SECRET: SECRET,
    });
    expect(run.code, run.stderr).toBe(0);
    for (const student of ['alice', 'bob']) {
      const id = studentExternalId(SECRET, student);
      expect(run.stdout).toContain(`Student ${student}\n  External id: ${id}\n`);
      expect(run.stdout).toContain(`--parameter-overrides GraderAccountId=111122223333 ExternalId=${id}`);
      expect(run.stdout).toContain(`param_ExternalId=${id}`);
    }
    expect(run.stdout).not.toContain(SECRET);
  });

  it("trusts the account of the caller's credentials when --grader-account is not given", async () => {
    const run = await cli(['role', '--student', 'alice'], { LAB_GRADER_COURSE_SECRET: SECRET });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`GraderAccountId=${GRADER_ACCOUNT}`);
  });

  it('exits 2 without a course secret, or with a student id STS cannot name a session with', async () => {
    const runs = await Promise.all([cli(['role', '--student', 'alice', '--grader-account', '111122223333']), cli(['role', '--student', 'al ice', '--grader-account', '111122223333'], { LAB_GRADER_COURSE_SECRET: SECRET })]);
    expect(runs.map((run) => run.code)).toEqual([2, 2]);
    expect(runs[0]!.stderr).toContain('set LAB_GRADER_COURSE_SECRET or pass --course-secret-file');
    expect(runs[1]!.stderr).toContain('expected a student id');
  });
});

describe("a role in the grading credentials' own account", { timeout: 90_000 }, () => {
  it('batch refuses it before grading anyone (exit 2), unless --allow-own-account', async () => {
    const roster = join(work, 'own.csv');
    writeFileSync(roster, `id,roleArn,externalId\nalice,${OWN_ROLE},alice-2026\n`);
    const refused = await cli(['batch', roster, '--out', join(work, 'own-class')]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`${roster}:2: student "alice": roleArn ${OWN_ROLE} is in account ${GRADER_ACCOUNT}, the account of the credentials you grade with`);
    expect(existsSync(join(work, 'own-class'))).toBe(false);
    const allowed = await cli(['batch', roster, '--out', join(work, 'own-class'), '--allow-own-account', '--region', 'eu-west-1', '--student-timeout', '60']);
    expect(allowed.stderr).not.toContain('the account of the credentials you grade with');
    expect(existsSync(join(work, 'own-class', 'gradebook.csv'))).toBe(true);
  });

  it("batch refuses what the roster alone shows (two students, one role) without asking AWS who grades", async () => {
    const roster = join(work, 'same-role.csv');
    writeFileSync(roster, `id,roleArn\nalice,${ROLE}\nbob,${ROLE}\n`);
    const before = instructorIdentified;
    const refused = await cli(['batch', roster, '--out', join(work, 'same-role-class')]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`${roster}:3: student "bob": roleArn ${ROLE} is also student "alice"'s (line 2)`);
    expect(instructorIdentified).toBe(before);
  });

  it("grade --student refuses it before assuming it (exit 2): a role-arn.txt naming one would grade the instructor's account as the student's", async () => {
    assumeCalls.length = 0;
    const refused = await cli(['grade', '--role-arn', OWN_ROLE, '--student', 'bob', '--region', 'eu-west-1', '--format', 'json', '--out', join(work, 'own-bob')], {
      LAB_GRADER_COURSE_SECRET: SECRET,
    });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(
      `lab-grader: --role-arn ${OWN_ROLE} is in account ${GRADER_ACCOUNT}, the account of the credentials you grade with: it would grade your own account as bob's.`,
    );
    expect(assumeCalls).toEqual([]);
    expect(existsSync(join(work, 'own-bob', 'scorecard.json'))).toBe(false);
    const allowed = await cli(['grade', '--role-arn', OWN_ROLE, '--student', 'bob', '--allow-own-account', '--region', 'eu-west-1', '--format', 'json', '--out', join(work, 'own-bob')], {
      LAB_GRADER_COURSE_SECRET: SECRET,
    });
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(assumeCalls[0]).toMatchObject({ RoleArn: OWN_ROLE, RoleSessionName: 'lab-grader-bob' });
  });

  it('watch --student refuses it the same way', async () => {
    const refused = await cli(['watch', '--role-arn', OWN_ROLE, '--student', 'bob', '--region', 'eu-west-1', '--rounds', '1', '--quiet'], { LAB_GRADER_COURSE_SECRET: SECRET });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`--role-arn ${OWN_ROLE} is in account ${GRADER_ACCOUNT}, the account of the credentials you grade with`);
  });
});
