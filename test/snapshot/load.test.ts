import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSnapshot, parseSnapshot } from '../../src/snapshot/load.js';
import { lineOf, usageMessage } from '../rubric/support.js';

const examplePath = (name: string): string => fileURLToPath(new URL(`../../examples/${name}.snapshot.json`, import.meta.url));
const complete = readFileSync(examplePath('complete-lab'), 'utf8');

/** The complete example with `from` (which must occur) replaced by `to`, once. */
function completeWith(from: string, to: string): string {
  if (!complete.includes(from)) throw new Error(`"${from}" not in the example`);
  return complete.replace(from, to);
}

describe('loadSnapshot', () => {
  it.each(['complete-lab', 'mistakes'])('accepts the bundled %s example as it is', (name) => {
    const snapshot = loadSnapshot(examplePath(name));
    expect(snapshot.schemaVersion).toBe(1);
    expect(snapshot.facts.vpcs?.ok).toBe(true);
  });

  it('keeps fields the schema does not name (extra SDK fields pass through)', () => {
    const text = completeWith('"VpcId": "vpc-', '"FutureSdkField": {"x": 1}, "VpcId": "vpc-');
    const vpcs = parseSnapshot(text, 'snap.json').facts.vpcs;
    expect(vpcs?.ok && vpcs.data[0]).toMatchObject({ FutureSdkField: { x: 1 } });
  });

  it('accepts a fact that could not be read, and a fact that was not collected at all', () => {
    const snapshot = JSON.parse(complete) as { facts: Record<string, unknown> };
    snapshot.facts.natGateways = { ok: false, error: { call: 'ec2:DescribeNatGateways', code: 'AccessDenied', message: 'not authorized' } };
    delete snapshot.facts.alarms;
    const parsed = parseSnapshot(JSON.stringify(snapshot, null, 2), 'snap.json');
    expect(parsed.facts.natGateways).toEqual(snapshot.facts.natGateways);
    expect(parsed.facts.alarms).toBeUndefined();
  });

  it('refuses a fact it does not know, naming it', () => {
    const text = completeWith('"alarms": {', '"alarmz": {');
    expect(usageMessage(() => parseSnapshot(text, 'snap.json'))).toBe(
      `snap.json:${lineOf(text, '"alarmz"')}:5: $.facts.alarmz: unknown key "alarmz": this is not a lab-grader snapshot field`,
    );
  });

  it('names a missing file and the flag to fix', () => {
    expect(usageMessage(() => loadSnapshot('no-such.snapshot.json'))).toMatch(/cannot read the snapshot no-such\.snapshot\.json \(ENOENT\).*--snapshot/);
  });
});

describe('a bad snapshot names its first bad field by JSON path and line:column', () => {
  it('invalid JSON', () => {
    const text = completeWith('"region": "eu-west-1",', '"region": "eu-west-1"');
    expect(usageMessage(() => parseSnapshot(text, 'snap.json'))).toBe(
      `snap.json:${lineOf(text, '"caller"')}:3: not valid JSON (CommaExpected): is this a snapshot saved by lab-grader?`,
    );
  });

  it('a schemaVersion this grader does not read', () => {
    const text = completeWith('"schemaVersion": 1', '"schemaVersion": 2');
    expect(usageMessage(() => parseSnapshot(text, 'snap.json'))).toBe(
      'snap.json:2:3: $.schemaVersion: this grader reads snapshots of schemaVersion 1: collect the account again with this version',
    );
  });

  it('a fact with neither data nor error', () => {
    const text = completeWith('"accountAliases": {\n      "ok": true,\n      "data": [', '"accountAliases": {\n      "data": [');
    expect(usageMessage(() => parseSnapshot(text, 'snap.json'))).toBe(
      `snap.json:${lineOf(text, '"accountAliases"')}:5: $.facts.accountAliases.ok: a fact is {"ok": true, "data": ...} or {"ok": false, "error": {"call", "code", "message"}}`,
    );
  });

  it('a failed fact without its error', () => {
    const text = completeWith('"alarms": {\n      "ok": true,', '"alarms": {\n      "ok": false,');
    expect(usageMessage(() => parseSnapshot(text, 'snap.json'))).toContain('$.facts.alarms.error: ');
  });

  it('a VPC without its VpcId', () => {
    const text = completeWith('"VpcId": "vpc-', '"VpcIdentifier": "vpc-');
    expect(usageMessage(() => parseSnapshot(text, 'snap.json'))).toBe(
      `snap.json:${lineOf(text, '"vpcs"') + 3}:9: $.facts.vpcs.data[0].VpcId: missing VpcId: every item here is identified by its VpcId`,
    );
  });

  it('a probe result whose URL is not an absolute URL (the reports take it apart)', () => {
    const text = completeWith('"url": "http://sentiment-app-alb-1234567890.eu-west-1.elb.amazonaws.com/"', '"url": "/"');
    expect(usageMessage(() => parseSnapshot(text, 'snap.json'))).toMatch(/^snap\.json:\d+:\d+: \$\.probes\.results\[0\]\.url: not an absolute URL/);
  });

  it('a keyed fact that is not a map of facts', () => {
    const text = completeWith('"listeners": {', '"listeners": [], "listenersWas": {');
    expect(usageMessage(() => parseSnapshot(text, 'snap.json'))).toContain('$.facts.listeners: expected record, received array');
  });

  it.each(['SecretAccessKey', 'SessionToken', 'aws_secret_access_key'])('a credential under %s is refused', (key) => {
    const text = completeWith('"UserId": "AIDA', `"${key}": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "UserId": "AIDA`);
    const message = usageMessage(() => parseSnapshot(text, 'snap.json'));
    expect(message).toContain(`snap.json:${lineOf(text, key)}:9: $.facts.callerIdentity.data.${key}: this file holds what looks like an AWS credential`);
    expect(message).not.toContain('wJalrXUtnFEMI');
  });

  it('a credential key spelled with JSON escapes is refused too', () => {
    const text = completeWith('"UserId": "AIDA', '"\\u0053ecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "UserId": "AIDA');
    expect(usageMessage(() => parseSnapshot(text, 'snap.json'))).toContain('$.facts.callerIdentity.data.SecretAccessKey: this file holds what looks like an AWS credential');
  });
});
