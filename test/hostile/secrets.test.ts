// Credentials an account or an app hands the collector: a session token in a CloudTrail
// event's JSON text, a secret key in a tag, an environment variable, a log line, a response
// body. None reaches a snapshot; a snapshot file that still holds one is refused on regrade.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checksById } from '../../checks/index.js';
import { UsageError } from '../../src/errors.js';
import { grade } from '../../src/grade/engine.js';
import { readLiveAccount } from '../../src/live/index.js';
import { loadRubric } from '../../src/rubric/load.js';
import { findSecret, hasRandomRun, redactSecrets } from '../../src/secrets.js';
import { bracketsInJsonStrings, findCredential, mayHoldCredential, withoutCredentials } from '../../src/snapshot/credentials.js';
import { parseSnapshot } from '../../src/snapshot/load.js';
import type { Probes, Snapshot } from '../../src/snapshot/types.js';
import { mockAccount, type MockedAccount } from '../collect/mock-account.js';
import { stubTestCredentials } from '../support/aws-env.js';
import { root } from '../support/cli.js';
import { example, labParams } from '../support/fixtures.js';

const rubric = loadRubric(`${root}/rubric.yaml`, 'rubric.yaml');

const SESSION_TOKEN = `IQoJb3JpZ2luX2VjEJr${'Xk9Qw3Zp7Lm2Vb8Nc4Rt6Yh1Gf5Dj0Sa'.repeat(8)}Aq==`;
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE9K';
const TEMPORARY_KEY_ID = 'ASIAFAKETEMPORARYK01';
const GITHUB_TOKEN = 'ghp_R8x2KqL0vNz4TbW7yHc3Jd9Fm1Gs5Ap6Ue0Q';
const OPENAI_KEY = 'sk-proj-Qw7Er_Ty3Ui-Op9As2Df5Gh8Jk1Lz4Xc6Vb0Nm3Qa7Ws1Ed';

/** An AssumeRole event as LookupEvents returns it: the record's responseElements carry the session's credentials. */
function assumeRoleEvent(): Record<string, unknown> {
  return {
    EventId: '9f0e1d2c-0000-4000-8000-000000000001',
    EventName: 'AssumeRole',
    ReadOnly: 'false',
    AccessKeyId: 'AKIAFAKEEXAMPLEKEY01',
    EventTime: '2026-11-12T11:00:00.000Z',
    EventSource: 'sts.amazonaws.com',
    Username: 'student-admin',
    Resources: [{ ResourceType: 'AWS::IAM::AccessKey', ResourceName: TEMPORARY_KEY_ID }],
    CloudTrailEvent: JSON.stringify({
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', userName: 'student-admin', accessKeyId: 'AKIAFAKEEXAMPLEKEY01' },
      eventTime: '2026-11-12T11:00:00Z',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      userAgent: 'aws-cli/2.22.4 md/command#sts.assume-role',
      requestParameters: { roleArn: 'arn:aws:iam::123456789012:role/lab', roleSessionName: 'me' },
      responseElements: {
        credentials: { accessKeyId: TEMPORARY_KEY_ID, sessionToken: SESSION_TOKEN, expiration: 'Nov 12, 2026, 12:00:00 PM' },
      },
    }),
  };
}

/** The complete lab with credentials in the places an account or an app can put them. */
function leakyAccount(): Snapshot {
  const snapshot = example('complete-lab');
  const events = snapshot.facts.userEvents;
  if (events.ok) (events.data as unknown[]).push(assumeRoleEvent());
  const vpcs = snapshot.facts.vpcs;
  if (vpcs.ok) vpcs.data[0]!.Tags = [...(vpcs.data[0]!.Tags ?? []), { Key: 'debug', Value: SECRET_KEY }];
  for (const fact of Object.values(snapshot.facts.taskDefinitions)) {
    if (fact.ok) fact.data.containerDefinitions![0]!.environment = [
      { name: 'MODEL_BUCKET', value: 'sentiment-models-123456789012' },
      { name: 'AWS_SECRET_ACCESS_KEY', value: SECRET_KEY },
      { name: 'AWS_SESSION_TOKEN', value: SESSION_TOKEN },
    ];
  }
  return snapshot;
}

let account: MockedAccount | undefined;
afterEach(() => {
  account?.restore();
  account = undefined;
});

const leakyProbe = async (target: Probes['target']): Promise<Probes> => {
  const [result] = example('complete-lab').probes.results;
  return { target, results: [{ ...result!, bodyExcerpt: JSON.stringify({ echo: { SessionToken: SESSION_TOKEN, note: `key ${SECRET_KEY}` } }) }] };
};

describe('collected evidence', () => {
  it('keeps no credential: CloudTrail events are reduced, credential keys dropped, credential-shaped values redacted', async () => {
    account = mockAccount(leakyAccount());
    const { snapshot } = await readLiveAccount({ params: labParams(), region: 'eu-west-1', probe: leakyProbe });
    const saved = `${JSON.stringify(snapshot, null, 2)}\n`;

    for (const secret of [SESSION_TOKEN, SECRET_KEY, TEMPORARY_KEY_ID]) expect(saved).not.toContain(secret);
    // The event is still there, with what the checks read; the key id that called stays in IAM's answer.
    const events = snapshot.facts.userEvents.ok ? snapshot.facts.userEvents.data : [];
    const assumed = events.find((event) => event.EventName === 'AssumeRole');
    expect(assumed).toEqual({
      EventId: '9f0e1d2c-0000-4000-8000-000000000001',
      EventName: 'AssumeRole',
      EventSource: 'sts.amazonaws.com',
      EventTime: '2026-11-12T11:00:00.000Z',
      Username: 'student-admin',
      CloudTrailEvent: JSON.stringify({
        eventTime: '2026-11-12T11:00:00Z',
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        userAgent: 'aws-cli/2.22.4 md/command#sts.assume-role',
      }),
    });
    expect(saved).toContain('AKIAFAKEEXAMPLEKEY01');
    // Other places: redacted where they stood, the rest of the value kept.
    expect(saved).toContain(`"Value": "wJal…LE9K"`);
    expect(saved).toContain('sentiment-models-123456789012');
    // Environment values are never stored: only which bucket one names.
    expect(saved).toContain('"value": "(value not stored; names bucket sentiment-models-123456789012)"');
    expect(saved.match(/"value": "\(value not stored\)"/g)).toHaveLength(2);
    expect(JSON.parse(snapshot.probes.results[0]!.bodyExcerpt)).toEqual({ echo: { note: 'key wJal…LE9K' } });

    // The saved file reads back (the guard finds nothing) and grades as the live snapshot did.
    const reread = parseSnapshot(saved, 'saved.json');
    expect(grade({ rubric, rubricFile: 'rubric.yaml', snapshot: reread, checks: checksById })).toEqual(
      grade({ rubric, rubricFile: 'rubric.yaml', snapshot, checks: checksById }),
    );
    const cli = grade({ rubric, rubricFile: 'rubric.yaml', snapshot: reread, checks: checksById })
      .sections.flatMap((section) => section.steps.flatMap((step) => step.checks))
      .find((check) => check.id === 'iam.cli-access');
    expect(cli?.status).toBe('pass');
  });
});

describe('a snapshot file holding a credential', () => {
  /** A snapshot saved before events were reduced: the event verbatim, its JSON text carrying a session token. */
  function oldSnapshotText(): string {
    const snapshot = example('complete-lab');
    if (snapshot.facts.userEvents.ok) (snapshot.facts.userEvents.data as unknown[]).push(assumeRoleEvent());
    return `${JSON.stringify(snapshot, null, 2)}\n`;
  }

  it('is refused on regrade, naming the field, the place inside its JSON text, and line:column', () => {
    const text = oldSnapshotText();
    const line = text.split('\n').findIndex((row) => row.includes('sts.amazonaws.com') && row.includes('CloudTrailEvent')) + 1;
    expect(line).toBeGreaterThan(0);
    expect(() => parseSnapshot(text, 'old.json')).toThrow(UsageError);
    expect(() => parseSnapshot(text, 'old.json')).toThrow(
      new RegExp(`^old\\.json:${line}:\\d+: \\$\\.facts\\.userEvents\\.data\\[2\\]\\.CloudTrailEvent \\(inside its JSON text, at responseElements\\.credentials\\.sessionToken\\): `),
    );
    expect(() => parseSnapshot(text, 'old.json')).not.toThrow(new RegExp(SESSION_TOKEN.slice(0, 20)));
  });

  it('is refused for a credential-shaped value under any key, and for JSON text nested too deep to check', () => {
    const tagged = example('complete-lab');
    if (tagged.facts.vpcs.ok) tagged.facts.vpcs.data[0]!.Tags = [{ Key: 'k', Value: `token=${SESSION_TOKEN}` }];
    expect(() => parseSnapshot(JSON.stringify(tagged), 'tag.json')).toThrow(/^tag\.json:1:\d+: \$\.facts\.vpcs\.data\[0\]\.Tags\[0\]\.Value: .*session token/);

    const deep = example('complete-lab');
    if (deep.facts.vpcs.ok) deep.facts.vpcs.data[0]!.Tags = [{ Key: 'k', Value: `${'['.repeat(5000)}${']'.repeat(5000)}` }];
    expect(() => parseSnapshot(JSON.stringify(deep), 'deep.json')).toThrow(/too deep to check for credentials/);
  });

  it('is the same file once cleaned: withoutCredentials leaves nothing the guard refuses', () => {
    const cleaned = withoutCredentials(JSON.parse(oldSnapshotText()) as unknown);
    expect(() => parseSnapshot(JSON.stringify(cleaned), 'clean.json')).not.toThrow();
    expect(JSON.stringify(cleaned)).not.toContain(SESSION_TOKEN);
  });

  it("loads request ids that look like key material (a stand-in's), and the live path keeps them exact: they are AWS's answer, checked by their own schema", async () => {
    const requestId = 'NQ3ZS7hVvM43UpsUD8t5bcCZp5n4hwrwpwlUU5hhQSb1Nw1Dt0dK';
    const snapshot = { ...example('complete-lab'), provenance: { requestIds: [{ call: 'sts:GetCallerIdentity', requestId }] } };
    expect(parseSnapshot(JSON.stringify(snapshot), 'standin.json').provenance?.requestIds[0]?.requestId).toBe(requestId);
    // Anywhere else the same characters are key material.
    if (snapshot.facts.vpcs.ok) snapshot.facts.vpcs.data[0]!.Tags = [{ Key: 'k', Value: requestId }];
    expect(() => parseSnapshot(JSON.stringify(snapshot), 'tag.json')).toThrow(/Tags\[0\]\.Value: .*secret access key/);
  });

  it('the examples pass the guard unchanged (it does not refuse ordinary evidence)', () => {
    for (const name of ['complete-lab', 'mistakes'] as const) expect(withoutCredentials(example(name))).toEqual(example(name));
  });
});

describe("the loader's quick scan of the text (the walk is skipped when it finds nothing)", () => {
  it('finds nothing in ordinary evidence, so the examples are not walked', () => {
    for (const name of ['complete-lab', 'mistakes'] as const) {
      const text = `${JSON.stringify(example(name), null, 2)}\n`;
      expect(mayHoldCredential(text)).toBe(false);
      expect(findCredential(JSON.parse(text))).toBeNull();
    }
  });

  it('sends every kind of credential to the walk: keys at any level of JSON text, escapes, secret shapes, deep JSON text', () => {
    const kinds = {
      key: { aws_session_token: 'x' },
      keyInJsonText: { CloudTrailEvent: JSON.stringify({ responseElements: { credentials: { SessionToken: 'x' } } }) },
      keyInJsonTextTwice: { outer: JSON.stringify({ inner: JSON.stringify({ secretAccessKey: 'x' }) }) },
      secretKey: { Tags: [{ Key: 'debug', Value: `key ${SECRET_KEY}.` }] },
      sessionToken: { note: `Bearer\n${SESSION_TOKEN}` },
      deepJsonText: { Value: `${'['.repeat(200)}${']'.repeat(200)}` },
    };
    for (const [kind, value] of Object.entries(kinds)) {
      expect(findCredential(value), kind).not.toBeNull();
      expect(mayHoldCredential(JSON.stringify(value)), kind).toBe(true);
    }
    // JSON escapes can spell a key or a secret's characters: they are walked whatever they spell.
    expect(mayHoldCredential('{"\\u0053ecretAccessKey": "x"}')).toBe(true);
    expect(mayHoldCredential(`{"v": "${SECRET_KEY.replaceAll('/', '\\/')}"}`)).toBe(true);
    // Hex digests, ARNs and the key ids IAM lists are not secrets.
    expect(mayHoldCredential(JSON.stringify({ digest: `sha256:${'0123456789abcdef'.repeat(4)}`, id: TEMPORARY_KEY_ID }))).toBe(false);
  });

  it('sends every OpenAI-shaped token to the walk: one whose first character is _ or -, after a JSON escape, after an access key id', () => {
    const random = 'Qw7Er_Ty3Ui-Op9As2Df5Gh8Jk1Lz4Xc6Vb0Nm3';
    const values = {
      'first character _': `sk-_${random}`,
      'first character -': `sk--${random}`,
      'after a newline (\\n in the file)': `line\nsk-${random}`,
      'after a tab in JSON text': JSON.stringify({ note: `x\tsk-${random}` }),
      'glued to an access key id': `${TEMPORARY_KEY_ID}sk-${random}`,
    };
    for (const [where, value] of Object.entries(values)) {
      expect(findCredential({ Value: value }), where).not.toBeNull();
      expect(mayHoldCredential(JSON.stringify({ Value: value })), where).toBe(true);
      const snapshot = example('complete-lab');
      if (snapshot.facts.vpcs.ok) snapshot.facts.vpcs.data[0]!.Tags = [{ Key: 'k', Value: value }];
      expect(() => parseSnapshot(JSON.stringify(snapshot), 'token.json'), where).toThrow(/Tags\[0\]\.Value.*API token/);
    }
  });

  it('finds a random-looking run of 40 base64 characters wherever it starts, as a plain regular expression would', () => {
    const reference = (text: string) => [...text.matchAll(/[A-Za-z0-9/+]{40,}/g)].some(([run]) => /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9/+]/.test(run));
    for (let pad = 0; pad <= 81; pad += 1) {
      expect(hasRandomRun(`${'-'.repeat(pad)}${SECRET_KEY}`), `at ${pad}`).toBe(true);
      expect(hasRandomRun(`${'-'.repeat(pad)}${SECRET_KEY.slice(1)}-`), `39 at ${pad}`).toBe(false);
    }
    const text = fc.array(fc.oneof(fc.constantFrom('-', '"', 'é', 'a', 'Z', '7', '/'), fc.stringMatching(/^[A-Za-z0-9/+]{1,90}$/)), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (generated) => {
        expect(hasRandomRun(generated)).toBe(reference(generated));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });

  it('never skips what the walk would refuse (fast-check)', () => {
    const piece = fc.oneof(
      fc.constantFrom(SECRET_KEY, SESSION_TOKEN, TEMPORARY_KEY_ID, GITHUB_TOKEN, OPENAI_KEY, encodeURIComponent(SECRET_KEY), 'sessionToken', 'SecretAccessKey', '[[[[', '{"a":', '\\', '\n', '\t', '/', '+', '%2F', 'sk-', 'sk-_', 'sk--'),
      fc.string({ maxLength: 8 }),
      fc.stringMatching(/^[A-Za-z0-9/+]{30,50}$/),
      fc.stringMatching(/^[A-Za-z0-9_-]{30,40}$/),
    );
    const text = fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join(''));
    const leaf = fc.oneof(text, fc.integer(), fc.constant(null));
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.oneof(text, fc.constantFrom('sessionToken', 'aws_secret_access_key')), tie('value'), { maxKeys: 4 }),
        tie('value').map((inner) => JSON.stringify(inner)),
      ),
    }));
    fc.assert(
      fc.property(value, (generated) => {
        const json = JSON.stringify(generated);
        if (findCredential(JSON.parse(json)) !== null) expect(mayHoldCredential(json)).toBe(true);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });

  /** The count as a regular expression finds where strings that may be JSON text open (the search the quick one replaced). */
  const bracketsReference = (text: string): number => {
    const opening = /"(?:\s|\\[nrtf])*[[{]/g;
    let most = 0;
    for (let match = opening.exec(text); match !== null; match = opening.exec(text)) {
      let count = 0;
      let at = match.index + 1;
      for (; at < text.length; at += 1) {
        if (text[at] === '\\') at += 1;
        else if (text[at] === '"') break;
        else if (text[at] === '[' || text[at] === '{') count += 1;
      }
      most = Math.max(most, count);
      opening.lastIndex = at + 1;
    }
    return most;
  };

  it('counts the brackets of strings that may be JSON text as a regular expression finds their openings, for every character between quote and bracket', () => {
    // Every UTF-16 code unit: white space as \s reads it opens a string that may be JSON text, nothing else does.
    const differ: string[] = [];
    for (let code = 0; code < 0x10000; code += 1) {
      const text = `"${String.fromCharCode(code)}{"`;
      if (bracketsInJsonStrings(text) !== bracketsReference(text)) differ.push(`U+${code.toString(16)}`);
    }
    expect(differ).toEqual([]);
    expect(bracketsInJsonStrings('{"a": "\\n \\t[[{", "b": "\\\\n{"}')).toBe(3);
    expect(bracketsInJsonStrings(JSON.stringify({ CloudTrailEvent: JSON.stringify({ a: [{ b: JSON.stringify([[1]]) }] }) }))).toBe(5);
  });

  it('counts the brackets of strings that may be JSON text as a regular expression finds their openings (fast-check)', () => {
    const piece = fc.oneof(
      fc.constantFrom('"', '\\"', '[', '{', ']', '}', ' ', '\n', '\u2028', '\u00a0', '\\', '\\n', '\\t', '\\r', '\\f', '\\b', '\\u0020', 'n', 'x', ':', ','),
      fc.string({ maxLength: 4 }),
    );
    const text = fc.array(piece, { maxLength: 24 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(text, (generated) => {
        expect(bracketsInJsonStrings(generated)).toBe(bracketsReference(generated));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) * 10 },
    );
  });
});

describe('key material wherever it lies', () => {
  const around = (secret: string) => ({
    alone: secret,
    'after base64 characters': `models/${secret}.joblib`,
    'glued to a prefix': `prefix${secret}`,
    'glued to a suffix': `${secret}Suffix9`,
    'inside a longer base64 string': `QUJD${secret}REVG`,
    'URL-encoded': `https://x.example/?key=${encodeURIComponent(secret)}&b=1`,
    'URL-encoded in a path': `s3://bucket/${encodeURIComponent(secret)}`,
  });

  it.each(Object.entries({ 'secret access key': SECRET_KEY, 'session token': SESSION_TOKEN }))('finds and redacts a %s in every embedding', (_kind, secret) => {
    for (const [where, text] of Object.entries(around(secret))) {
      expect(findSecret(text), where).not.toBeNull();
      const redacted = redactSecrets(text);
      for (const form of [secret, encodeURIComponent(secret)]) expect(redacted, where).not.toContain(form.slice(4, -4));
    }
  });

  it('finds GitHub and OpenAI tokens, whose _ and - break a base64 run', () => {
    // The last two hold no base64 run of 40: only their prefix shows them.
    for (const token of [GITHUB_TOKEN, OPENAI_KEY, `github_pat_11ABCDEFG0${'aB3dE5gH7j'.repeat(6)}`, `github_pat_${'aB3_'.repeat(12)}`, `ghs_${'aB3d'.repeat(9)}`]) {
      expect(findSecret(`token=${token}`)?.kind).toBe('API token');
      expect(redactSecrets(`x ${token} y`)).not.toContain(token.slice(4, -4));
    }
  });

  it('redacts access key ids, long-term and temporary, in a longer text', () => {
    for (const id of ['AKIAFAKEEXAMPLEKEY01', TEMPORARY_KEY_ID]) {
      expect(redactSecrets(`the key ${id} was used`)).toBe(`the key ${id.slice(0, 4)}…${id.slice(-4)} was used`);
    }
  });

  it('leaves ordinary evidence alone: digests, ARNs, ids, image URIs, names, sk- words', () => {
    for (const text of [
      `sha256:${'0123456789abcdef'.repeat(4)}`,
      'arn:aws:iam::123456789012:role/service-role/AWSServiceRoleForECS',
      'arn:aws:ecs:eu-west-1:123456789012:task-definition/sentiment-app-task:3',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/sentiment-app:14.01.25',
      '9f0e1d2c-0000-4000-8000-000000000001',
      'models/sentence_transformer.model/config.json',
      'SentimentModelTrainedOnReviews2024',
      'sk-learn-pipeline-trained-on-reviews-2024-final',
      'task-definition/sentiment-app-task',
      'aws-cli/2.22.4 Python/3.12.6 Linux/6.1.0 exe/x86_64.amzn.2023',
    ]) {
      expect(findSecret(text), text).toBeNull();
      expect(redactSecrets(text)).toBe(text);
    }
  });
});

describe('a live grade of a lab whose task definition holds secrets (mock account, the grade command in process)', () => {
  const PASSWORD = 'correct-horse-battery-staple-7';
  const SPLIT_KEY = 'Zq3Tm8Wv1Xr5Yb9Nc2Kd6Lf0Hg4Js7Pa1Qe5Ru8';
  const secrets = [PASSWORD, OPENAI_KEY, GITHUB_TOKEN, SECRET_KEY, SPLIT_KEY.slice(0, 20), SPLIT_KEY.slice(20), 'hunter2-in-a-command', 'splunk-token-value-42'];
  let work: string | undefined;
  let app: Server | undefined;
  afterEach(async () => {
    vi.unstubAllEnvs();
    if (work) await rm(work, { recursive: true, force: true });
    await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
    work = undefined;
    app = undefined;
  });

  it('finds none of them in any file under --out or in the saved snapshot; the bucket its variable names is still said', async () => {
    const built = example('complete-lab');
    for (const fact of Object.values(built.facts.taskDefinitions)) {
      if (!fact.ok) continue;
      const container = fact.data.containerDefinitions![0]!;
      container.environment = [
        { name: 'MODEL_BUCKET', value: 's3://sentiment-models-123456789012/models' },
        { name: 'DB_PASSWORD', value: PASSWORD },
        { name: 'OPENAI_API_KEY', value: OPENAI_KEY },
        { name: 'GITHUB_TOKEN', value: GITHUB_TOKEN },
        { name: 'AWS_SECRET_ACCESS_KEY', value: SECRET_KEY },
        { name: 'KEY_PART_1', value: SPLIT_KEY.slice(0, 20) },
        { name: 'KEY_PART_2', value: SPLIT_KEY.slice(20) },
      ];
      container.command = ['python', 'app.py', '--db-password', 'hunter2-in-a-command'];
      container.dockerLabels = { token: GITHUB_TOKEN };
      container.logConfiguration = { logDriver: 'awslogs', options: { ...container.logConfiguration?.options, 'splunk-token': 'splunk-token-value-42' } };
    }
    account = mockAccount(built);
    stubTestCredentials();
    // The app answers with its environment too, as a debug endpoint might.
    app = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 'ok', env: { OPENAI_API_KEY: OPENAI_KEY, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY: SECRET_KEY } }));
    });
    await new Promise<void>((resolve) => app!.listen(0, '127.0.0.1', resolve));
    const { port } = app.address() as AddressInfo;
    work = await mkdtemp(join(tmpdir(), 'lab-grader-secrets-'));
    const out = join(work, 'reports');
    const saved = join(work, 'evidence.json');
    const { gradeCommand } = await import('../../src/cli/commands/grade.js');
    const code = await gradeCommand({
      param: [],
      format: 'json,junit,markdown,gradescope,classroom,html',
      out,
      saveSnapshot: saved,
      region: 'eu-west-1',
      albUrl: `http://127.0.0.1:${port}`,
      color: false,
      quiet: true,
    });
    expect(code).toBe(0);
    const files = [saved, ...(await readdir(out)).map((name) => join(out, name))];
    expect(files).toHaveLength(7);
    for (const file of files) {
      const bytes = await readFile(file, 'utf8');
      const text = file.endsWith('.b64') ? Buffer.from(bytes, 'base64').toString('utf8') : bytes;
      for (const secret of secrets) expect(text, `${secret} in ${file}`).not.toContain(secret);
    }
    const snapshot = await readFile(saved, 'utf8');
    expect(snapshot).toContain('"name": "DB_PASSWORD"');
    expect(snapshot).toContain('(value not stored; names bucket sentiment-models-123456789012)');
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain('environment names the bucket (MODEL\\_BUCKET)');
  });
});
