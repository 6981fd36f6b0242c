// An AWS Academy Learner Lab account graded with the own-account profile: its shape in the
// snapshot (the voclabs session, LabRole, IAM users refused) and the one warning it earns.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { learnerLabShape } from '../../src/grade/academy.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { cli } from '../support/cli.js';
import { completeLabWith, denied } from '../support/fixtures.js';

const ACCOUNT = '123456789012';
const VOCLABS = `arn:aws:sts::${ACCOUNT}:assumed-role/voclabs/user1234567=student@example.com`;

/** The complete lab with its task definitions' roles set to `role`. */
function withTaskRole(snapshot: Snapshot, role: string): void {
  for (const fact of Object.values(snapshot.facts.taskDefinitions)) {
    if (fact.ok && fact.data) Object.assign(fact.data, { taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`, executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/${role}` });
  }
}

describe("Learner Lab's shape", () => {
  it('is not seen in an own account', () => {
    expect(learnerLabShape(completeLabWith(() => undefined))).toBeUndefined();
  });

  it('is the voclabs session alone, which no own account has', () => {
    const snapshot = completeLabWith((s) => void (s.caller = VOCLABS));
    expect(learnerLabShape(snapshot)).toEqual(['the grader read it as the voclabs role, which AWS Academy signs students in with']);
  });

  it('is LabRole with IAM users refused, but not LabRole alone (any student may name a role so)', () => {
    expect(learnerLabShape(completeLabWith((s) => withTaskRole(s, 'LabRole')))).toBeUndefined();
    const refused = completeLabWith((s) => {
      withTaskRole(s, 'LabRole');
      s.facts.users = denied('iam:ListUsers');
    });
    expect(learnerLabShape(refused)).toEqual(['its task definition runs as LabRole', 'IAM users may not be listed (AccessDenied)']);
  });
});

describe('the academy nudge', () => {
  const work = mkdtempSync(join(tmpdir(), 'lab-grader-academy-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const file = join(work, 'academy.json');
  const academy = completeLabWith((s) => {
    s.caller = VOCLABS;
    s.facts.callerIdentity = { ok: true, data: { Account: ACCOUNT, Arn: VOCLABS, UserId: 'AROAEXAMPLE:user1234567' } };
    withTaskRole(s, 'LabRole');
  });
  writeFileSync(file, JSON.stringify(academy));

  it('is one warning line, with the command that grades the account with the academy profile', async () => {
    const run = await cli(['grade', '--snapshot', file, '--format', 'json', '--out', join(work, 'own'), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('warning: '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: This account looks like an AWS Academy Learner Lab \(the grader read it as the voclabs role, .*; its task definition runs as LabRole\), graded with the own-account profile/);
    expect(warnings[0]).toContain(`Grade it with: lab-grader grade --snapshot ${file} --format json --out ${join(work, 'own')} --quiet --lab-profile academy`);
  });

  it('is not given when the account is graded with the academy profile', async () => {
    const run = await cli(['grade', '--snapshot', file, '--lab-profile', 'academy', '--format', 'json', '--out', join(work, 'academy')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('Learner Lab');
  });
});
