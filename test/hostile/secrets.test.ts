// Credentials an account or an app hands the collector: a session token in a CloudTrail
// event's JSON text, a secret key in a tag, an environment variable, a log line, a response
// body. None reaches a snapshot; a snapshot file that still holds one is refused on regrade.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { checksById } from '../../checks/index.js';
import { UsageError } from '../../src/errors.js';
import { grade } from '../../src/grade/engine.js';
import { readLiveAccount } from '../../src/live/index.js';
import { loadRubric } from '../../src/rubric/load.js';
import { hasRandomRun } from '../../src/secrets.js';
import { findCredential, mayHoldCredential, withoutCredentials } from '../../src/snapshot/credentials.js';
import { parseSnapshot } from '../../src/snapshot/load.js';
import type { Probes, Snapshot } from '../../src/snapshot/types.js';
import { mockAccount, type MockedAccount } from '../collect/mock-account.js';
import { root } from '../support/cli.js';
import { example, labParams } from '../support/fixtures.js';

const rubric = loadRubric(`${root}/rubric.yaml`, 'rubric.yaml');

const SESSION_TOKEN = `IQoJb3JpZ2luX2VjEJr${'Xk9Qw3Zp7Lm2Vb8Nc4Rt6Yh1Gf5Dj0Sa'.repeat(8)}Aq==`;
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE9K';
const TEMPORARY_KEY_ID = 'ASIAY34FZKBOKMUTVV7A';

/** An AssumeRole event as LookupEvents returns it: the record's responseElements carry the session's credentials. */
function assumeRoleEvent(): Record<string, unknown> {
  return {
    EventId: '9f0e1d2c-0000-4000-8000-000000000001',
    EventName: 'AssumeRole',
    ReadOnly: 'false',
    AccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    EventTime: '2026-11-12T11:00:00.000Z',
    EventSource: 'sts.amazonaws.com',
    Username: 'student-admin',
    Resources: [{ ResourceType: 'AWS::IAM::AccessKey', ResourceName: TEMPORARY_KEY_ID }],
    CloudTrailEvent: JSON.stringify({
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', userName: 'student-admin', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
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
    expect(saved).toContain('AKIAIOSFODNN7EXAMPLE');
    // Other places: redacted where they stood, the rest of the value kept.
    expect(saved).toContain(`"Value": "wJal…LE9K"`);
    expect(saved).toContain('sentiment-models-123456789012');
    expect(saved).toContain('"value": "wJal…LE9K"');
    expect(saved).toContain(`"value": "IQoJ…Aq=="`);
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
      fc.constantFrom(SECRET_KEY, SESSION_TOKEN, TEMPORARY_KEY_ID, 'sessionToken', 'SecretAccessKey', '[[[[', '{"a":', '\\', '\n', '/', '+'),
      fc.string({ maxLength: 8 }),
      fc.stringMatching(/^[A-Za-z0-9/+]{30,50}$/),
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
});
