// A role student's credentials come from STS AssumeRole with the roster's role and external
// id; a local STS stand-in on 127.0.0.1 answers (AWS_ENDPOINT_URL_STS), nothing leaves the machine.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleCredentials } from '../../src/aws/role.js';
import { liveCollector } from '../../src/batch/live.js';
import type { Student } from '../../src/batch/roster.js';
import { AwsAccessError } from '../../src/errors.js';
import { checksById } from '../../checks/index.js';
import { settleGrading } from '../../src/grade/grading.js';
import { labRubric } from '../support/fixtures.js';
import { studentExternalId } from '../../src/role-names.js';

const ROLE = 'arn:aws:iam::123456789012:role/lab-grader-readonly';

function assumeRoleXml(): string {
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIAFAKEEXAMPLEKEY01</AccessKeyId><SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</SecretAccessKey>
<SessionToken>FwoGZXIvYXdzEXAMPLETOKEN</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/lab-grader-readonly/lab-grader-alice</Arn><AssumedRoleId>AROAEXAMPLE:lab-grader-alice</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></AssumeRoleResponse>`;
}

const DENIED = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>
<Message>User: arn:aws:iam::111122223333:user/instructor is not authorized to perform: sts:AssumeRole on resource: ${ROLE}</Message></Error><RequestId>req-2</RequestId></ErrorResponse>`;

describe('role students', () => {
  let server: Server;
  const requests: { body: URLSearchParams; authorization: string }[] = [];
  let deny = false;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        requests.push({ body: new URLSearchParams(body), authorization: String(request.headers.authorization ?? '') });
        response.setHeader('content-type', 'text/xml');
        if (deny) {
          response.statusCode = 403;
          response.end(DENIED);
        } else {
          response.end(assumeRoleXml());
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env.AWS_ENDPOINT_URL_STS = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.AWS_ACCESS_KEY_ID = 'AKIAFAKEEXAMPLEKEY01';
    process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    process.env.AWS_REGION = 'eu-west-1';
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_SESSION_TOKEN;
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server?.close(resolve));
  });

  it('assumes the roster role with its external id, a session named for the student, signed with the instructor key', async () => {
    requests.length = 0;
    const credentials = await roleCredentials({ roleArn: ROLE, externalId: 'course-2026' }, 'alice', 'eu-west-1')();
    expect(credentials.accessKeyId).toBe('ASIAFAKEEXAMPLEKEY01');
    const [call] = requests;
    expect(Object.fromEntries(call!.body)).toMatchObject({
      Action: 'AssumeRole',
      RoleArn: ROLE,
      RoleSessionName: 'lab-grader-alice',
      ExternalId: 'course-2026',
      DurationSeconds: '900',
    });
    expect(call!.authorization).toContain('Credential=AKIAFAKEEXAMPLEKEY01/');
  });

  it('names the role and the trust policy when the role cannot be assumed', async () => {
    deny = true;
    const student: Student = { id: 'bob', source: { kind: 'role', roleArn: ROLE, externalId: 'wrong' }, line: 3 };
    const attempt = liveCollector({ region: 'eu-west-1' })(student, { grading: settleGrading({ rubric: labRubric, rubricFile: 'rubric.yaml', checks: checksById }), submission: null });
    await expect(attempt).rejects.toBeInstanceOf(AwsAccessError);
    await expect(attempt).rejects.toThrow(
      /^could not assume arn:aws:iam::123456789012:role\/lab-grader-readonly for student bob \(AccessDenied\): .*does not let your account assume it with bob's external id/s,
    );
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).not.toContain('wJalrXUtnFEMI');
    deny = false;
  });

  it("derives the external id from the course secret for a role student the roster gives none, and the roster's own id wins", async () => {
    const secret = 'a-course-secret-of-32-characters';
    const collector = liveCollector({ region: 'eu-west-1', courseSecret: secret });
    const context = { grading: settleGrading({ rubric: labRubric, rubricFile: 'rubric.yaml', checks: checksById }), submission: null };
    const assumed = async (student: Student): Promise<Record<string, string>> => {
      requests.length = 0;
      // Only the AssumeRole matters here: the reads that follow find no stand-in and end at the deadline.
      await collector(student, { ...context, deadline: Date.now() + 1_500 }).catch(() => undefined);
      return Object.fromEntries(requests.find((request) => request.body.get('Action') === 'AssumeRole')!.body);
    };
    expect(await assumed({ id: 'carol', source: { kind: 'role', roleArn: ROLE }, line: 4 })).toMatchObject({
      RoleSessionName: 'lab-grader-carol',
      ExternalId: studentExternalId(secret, 'carol'),
    });
    expect(await assumed({ id: 'dave', source: { kind: 'role', roleArn: ROLE, externalId: 'given-2026' }, line: 5 })).toMatchObject({ ExternalId: 'given-2026' });
  });
});
