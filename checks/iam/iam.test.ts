import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/snapshot/types.js';
import { gradeChecks, type Mistake, testMistakes, testNamesAreData } from '../../test/support/mistakes.js';
import { completeLabWith, denied, example } from '../../test/support/fixtures.js';

const ACCOUNT = '123456789012';
const USER = 'student-admin';

/** The academy's view: session credentials on voclabs, and no IAM, budgets or CloudTrail access. */
function academy(s: Snapshot): void {
  const arn = `arn:aws:sts::${ACCOUNT}:assumed-role/voclabs/user1234567=student@example.com`;
  s.caller = arn;
  s.facts.callerIdentity = { ok: true, data: { Account: ACCOUNT, Arn: arn, UserId: 'AROAEXAMPLEROLEID0001:user1234567' } };
  s.facts.users = denied('iam:ListUsers');
  s.facts.userAccessKeys = {};
  s.facts.userEvents = denied('cloudtrail:LookupEvents');
}

const mistakes: Mistake[] = [
  {
    name: 'no root MFA',
    mutate: (s) => { if (s.facts.accountSummary.ok) s.facts.accountSummary.data.AccountMFAEnabled = 0; },
    expected: { 'iam.root-mfa': { status: 'fail', says: [`account ${ACCOUNT}`, 'AccountMFAEnabled = 0', 'Set up MFA'] } },
  },
  {
    name: 'root access keys (a note, no points)',
    mutate: (s) => { if (s.facts.accountSummary.ok) s.facts.accountSummary.data.AccountAccessKeysPresent = 1; },
    expected: {},
  },
  {
    name: 'admin group without AdministratorAccess',
    mutate: (s) => { s.facts.groupPolicies.admin = { ok: true, data: [] }; },
    expected: { 'iam.admin-group': { status: 'partial', fraction: 0.5, says: ['group admin', 'none', 'attach the policy AdministratorAccess'] } },
  },
  {
    name: 'no admin group at all',
    mutate: (s) => {
      s.facts.groups = { ok: true, data: [] };
      s.facts.groupPolicies = {};
      s.facts.groupMembers = {};
    },
    expected: {
      'iam.admin-group': { status: 'fail', says: ['Create an IAM group called admin', '0 group(s)'] },
      'iam.admin-user': { status: 'fail', says: ['no admin group was found'] },
    },
  },
  {
    name: 'user outside the admin group',
    mutate: (s) => { s.facts.groupMembers.admin = { ok: true, data: [] }; },
    expected: { 'iam.admin-user': { status: 'fail', says: ['group admin', 'no members', 'Add the new user'] } },
  },
  {
    name: 'admin user without MFA',
    mutate: (s) => { s.facts.userMfaDevices[USER] = { ok: true, data: [] }; },
    expected: { 'iam.admin-user-mfa': { status: 'fail', says: [USER, 'none of the member(s) of group admin has an MFA device', 'Set up an MFA for your administrator account'] } },
  },
  {
    name: 'no account alias',
    mutate: (s) => { s.facts.accountAliases = { ok: true, data: [] }; },
    expected: { 'iam.account-alias': { status: 'fail', says: [`account ${ACCOUNT}`, 'creating an account alias'] } },
  },
  {
    name: 'access key deactivated, grader run as root, no CLI calls in CloudTrail',
    mutate: (s) => {
      s.facts.callerIdentity = { ok: true, data: { Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root`, UserId: ACCOUNT } };
      s.facts.userAccessKeys[USER] = { ok: true, data: [{ UserName: USER, AccessKeyId: 'AKIAFAKEEXAMPLEKEY01', Status: 'Inactive' }] };
      s.facts.userEvents = { ok: true, data: [] };
    },
    expected: { 'iam.cli-access': { status: 'fail', says: ['no IAM user has an active access key', '~/.aws/credentials'] } },
  },
  {
    name: 'grader run as root; the IAM user has a key but CloudTrail shows no CLI use',
    mutate: (s) => {
      s.facts.callerIdentity = { ok: true, data: { Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root`, UserId: ACCOUNT } };
      s.facts.userEvents = { ok: true, data: [] };
    },
    expected: { 'iam.cli-access': { status: 'partial', fraction: 0.5, says: [USER, 'no AWS CLI call', 'grader ran as root'] } },
  },
  {
    name: 'unreadable account summary',
    mutate: (s) => { s.facts.accountSummary = denied('iam:GetAccountSummary'); },
    expected: { 'iam.root-mfa': { status: 'error', says: ['iam:GetAccountSummary', 'AccessDenied'] } },
  },
  {
    name: 'unreadable group policies',
    mutate: (s) => { s.facts.groupPolicies.admin = denied('iam:ListAttachedGroupPolicies'); },
    expected: { 'iam.admin-group': { status: 'error', says: ['iam:ListAttachedGroupPolicies'] } },
  },
  {
    // Whose MFA counts depends on who is in the admin group, which could not be found.
    name: 'unreadable groups',
    mutate: (s) => { s.facts.groups = denied('iam:ListGroups'); },
    expected: {
      'iam.admin-group': { status: 'error', says: ['iam:ListGroups'] },
      'iam.admin-user': { status: 'error', says: ['iam:ListGroups'] },
      'iam.admin-user-mfa': { status: 'error', says: ["could not read groups to find the lab's admin group: iam:ListGroups"] },
    },
  },
  {
    name: 'unreadable MFA devices',
    mutate: (s) => { s.facts.userMfaDevices[USER] = denied('iam:ListMFADevices'); },
    expected: { 'iam.admin-user-mfa': { status: 'error', says: ['iam:ListMFADevices'] } },
  },
  {
    name: 'unreadable aliases',
    mutate: (s) => { s.facts.accountAliases = denied('iam:ListAccountAliases'); },
    expected: { 'iam.account-alias': { status: 'error', says: ['iam:ListAccountAliases'] } },
  },
  {
    name: 'unreadable access keys of the caller',
    mutate: (s) => { s.facts.userAccessKeys[USER] = denied('iam:ListAccessKeys'); },
    expected: { 'iam.cli-access': { status: 'error', says: ['iam:ListAccessKeys'] } },
  },
  {
    name: 'CloudTrail unreadable: the caller\'s own key still suffices',
    mutate: (s) => { s.facts.userEvents = denied('cloudtrail:LookupEvents'); },
    expected: {},
  },
  {
    name: 'academy session credentials graded as an own account: no IAM user readable',
    mutate: academy,
    expected: { 'iam.cli-access': { status: 'error', says: ['iam:ListUsers'] } },
  },
  {
    name: 'academy profile: session credentials pass 1.3',
    mutate: academy,
    profile: 'academy',
    expected: {},
  },
];

describe('iam checks', () => {
  it('pass on the complete lab, with evidence naming the resources', () => {
    const results = gradeChecks(example('complete-lab'));
    expect(results['iam.root-mfa']).toMatchObject({ status: 'pass', evidence: [`account ${ACCOUNT}: root MFA enabled (AccountMFAEnabled = 1)`] });
    expect(results['iam.admin-group']?.evidence).toContain('group admin: AdministratorAccess attached');
    expect(results['iam.admin-user']?.evidence).toEqual([`group admin: members ${USER}`]);
    expect(results['iam.admin-user-mfa']?.evidence).toContain(`user ${USER}: MFA device arn:aws:iam::${ACCOUNT}:mfa/student-admin-phone`);
    expect(results['iam.account-alias']?.evidence[0]).toContain('alias mlops-student-lab');
    expect(results['iam.cli-access']?.evidence).toEqual([
      `the grader read account ${ACCOUNT} as IAM user ${USER}`,
      `user ${USER}: 1 active access key(s)`,
      `user ${USER}: 2 call(s) from the AWS CLI in CloudTrail, latest DescribeRepositories at 2026-11-12T10:01:00.000Z`,
    ]);
    for (const id of ['iam.root-mfa', 'iam.admin-group', 'iam.admin-user', 'iam.admin-user-mfa', 'iam.account-alias', 'iam.cli-access']) {
      expect({ id, status: results[id]?.status }).toEqual({ id, status: 'pass' });
    }
  });

  testMistakes(mistakes);

  it('notes root access keys without taking points', () => {
    const result = gradeChecks(
      completeLabWith((s) => { if (s.facts.accountSummary.ok) s.facts.accountSummary.data.AccountAccessKeysPresent = 1; }),
    )['iam.root-mfa'];
    expect(result).toMatchObject({ status: 'pass', fraction: 1 });
    expect(result?.notes?.[0]).toContain('AWS recommends removing all access keys for root accounts');
  });

  it('passes a differently named group that holds AdministratorAccess, with a note', () => {
    const result = gradeChecks(
      completeLabWith((s) => {
        if (s.facts.groups.ok) s.facts.groups.data[0]!.GroupName = 'ops-admins';
        s.facts.groupPolicies = { 'ops-admins': s.facts.groupPolicies.admin! };
        s.facts.groupMembers = { 'ops-admins': s.facts.groupMembers.admin! };
      }),
    );
    expect(result['iam.admin-group']).toMatchObject({ status: 'pass', notes: ['group ops-admins holds AdministratorAccess; the lab names the group admin'] });
    expect(result['iam.admin-user']).toMatchObject({ status: 'pass', evidence: [`group ops-admins: members ${USER}`] });
  });

  it('says CloudTrail was unreadable when the caller\'s key alone passes 1.3', () => {
    const result = gradeChecks(completeLabWith((s) => { s.facts.userEvents = denied('cloudtrail:LookupEvents'); }))['iam.cli-access'];
    expect(result?.status).toBe('pass');
    expect(result?.evidence).toContain('CloudTrail event history unreadable (cloudtrail:LookupEvents answered AccessDenied): CLI use not confirmed from it');
  });

  it('with CloudTrail unreadable, reports the unread half of 1.3 as error and keeps the judged half', () => {
    const result = gradeChecks(
      completeLabWith((s) => {
        s.facts.callerIdentity = { ok: true, data: { Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/grader/session`, UserId: 'AROAEXAMPLE:session' } };
        s.facts.userEvents = denied('cloudtrail:LookupEvents');
      }),
    )['iam.cli-access'];
    expect(result).toMatchObject({ status: 'error', fraction: 0.5 });
    expect(result?.evidence).toContain(`user ${USER}: 1 active access key(s)`);
    expect(result?.cause).toMatch(/^could not read userEvents: cloudtrail:LookupEvents answered AccessDenied: .*the points not yet earned are ungraded, not withheld$/);
    expect(result?.hint).toBe('Grant cloudtrail:LookupEvents to the grading identity (see `lab-grader policy`) and grade again.');
  });

  it('with CloudTrail read and no CLI call by the keyed user, withholds the half as the student\'s miss', () => {
    const result = gradeChecks(
      completeLabWith((s) => {
        s.facts.callerIdentity = { ok: true, data: { Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/grader/session`, UserId: 'AROAEXAMPLE:session' } };
        s.facts.userEvents = { ok: true, data: [] };
      }),
    )['iam.cli-access'];
    expect(result).toMatchObject({ status: 'partial', fraction: 0.5 });
  });

  it('passes 1.3 on CloudTrail CLI calls when the grader ran on a role', () => {
    const result = gradeChecks(
      completeLabWith((s) => {
        s.facts.callerIdentity = { ok: true, data: { Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/grader/session`, UserId: 'AROAEXAMPLE:session' } };
      }),
    )['iam.cli-access'];
    expect(result?.status).toBe('pass');
    expect(result?.evidence[2]).toContain(`user ${USER}: 2 call(s) from the AWS CLI`);
  });

  it('grades 1.3 on session credentials in the academy profile', () => {
    const result = gradeChecks(completeLabWith(academy), { profile: 'academy' })['iam.cli-access'];
    expect(result).toMatchObject({
      status: 'pass',
      evidence: [`the grader read account ${ACCOUNT} with working credentials as arn:aws:sts::${ACCOUNT}:assumed-role/voclabs/user1234567=student@example.com`],
    });
  });
});

describe('names are data, never object keys', () => {
  testNamesAreData([
    { resource: 'the admin group', name: 'admin' },
    { resource: 'the admin user', name: 'student-admin' },
  ]);
});
