// IAM (a global service): the account's MFA and keys, the admin group, its policies and members, users.
import * as z from 'zod';
import type { Group, User } from '@aws-sdk/client-iam';
import { call, collectPages, dataOf, keyed, listOf, single, type ReadContext } from './define.js';
import { labFirst, trailUsername } from './names.js';

const BOUNDS = { groups: 20, users: 20 } as const;

/** The groups whose policies and members are read: the lab's admin group first. */
function labGroups(ctx: ReadContext): string[] {
  const groups = dataOf(ctx.get<Group[]>('groups')) ?? [];
  return labFirst(groups, (g) => g.GroupName, [], BOUNDS.groups, [ctx.hints.iam.adminGroup]).map((g) => g.GroupName ?? '');
}

/** The users whose MFA devices and keys are read: the caller first. */
function labUsers(ctx: ReadContext): string[] {
  const users = dataOf(ctx.get<User[]>('users')) ?? [];
  const callerName = trailUsername(ctx.caller.Arn);
  return labFirst(users, (u) => u.UserName, [], BOUNDS.users, callerName ? [callerName] : []).map((u) => u.UserName ?? '');
}

export const accountSummary = single({
  key: 'accountSummary',
  description: 'iam:GetAccountSummary SummaryMap (AccountMFAEnabled, AccountAccessKeysPresent...).',
  calls: [call('iam', 'GetAccountSummaryCommand', 'iam:GetAccountSummary')],
  schema: z.record(z.string(), z.number()),
  read: async ({ sdk, aws }): Promise<Record<string, number>> => (await aws.iam.send(new sdk.iam.GetAccountSummaryCommand({}))).SummaryMap ?? {},
});

export const accountAliases = single({
  key: 'accountAliases',
  description: 'The account alias (the console sign-in name), if set.',
  calls: [call('iam', 'ListAccountAliasesCommand', 'iam:ListAccountAliases')],
  schema: z.array(z.string()),
  read: ({ sdk, aws }) => collectPages(sdk.iam.paginateListAccountAliases({ client: aws.iam }, {}), (p) => p.AccountAliases),
});

export const groups = single({
  key: 'groups',
  description: 'IAM groups.',
  calls: [call('iam', 'ListGroupsCommand', 'iam:ListGroups')],
  schema: listOf('GroupName'),
  read: ({ sdk, aws }) => collectPages(sdk.iam.paginateListGroups({ client: aws.iam }, {}), (p) => p.Groups),
});

export const groupPolicies = keyed({
  key: 'groupPolicies',
  description: 'The managed policies attached to each group.',
  keyedBy: 'group name',
  calls: [call('iam', 'ListAttachedGroupPoliciesCommand', 'iam:ListAttachedGroupPolicies')],
  after: ['groups'],
  schema: listOf('PolicyArn'),
  keys: labGroups,
  read: ({ sdk, aws }, group) =>
    collectPages(sdk.iam.paginateListAttachedGroupPolicies({ client: aws.iam }, { GroupName: group }), (p) => p.AttachedPolicies),
});

export const groupMembers = keyed({
  key: 'groupMembers',
  description: "Each group's members (iam:GetGroup).",
  keyedBy: 'group name',
  calls: [call('iam', 'GetGroupCommand', 'iam:GetGroup')],
  after: ['groups'],
  schema: listOf('UserName'),
  keys: labGroups,
  read: ({ sdk, aws }, group) => collectPages(sdk.iam.paginateGetGroup({ client: aws.iam }, { GroupName: group }), (p) => p.Users),
});

export const users = single({
  key: 'users',
  description: 'IAM users.',
  calls: [call('iam', 'ListUsersCommand', 'iam:ListUsers')],
  schema: listOf('UserName'),
  read: ({ sdk, aws }) => collectPages(sdk.iam.paginateListUsers({ client: aws.iam }, {}), (p) => p.Users),
});

export const userMfaDevices = keyed({
  key: 'userMfaDevices',
  description: "Each user's MFA devices.",
  keyedBy: 'user name',
  calls: [call('iam', 'ListMFADevicesCommand', 'iam:ListMFADevices')],
  after: ['users'],
  schema: listOf('SerialNumber'),
  keys: labUsers,
  read: ({ sdk, aws }, user) => collectPages(sdk.iam.paginateListMFADevices({ client: aws.iam }, { UserName: user }), (p) => p.MFADevices),
});

export const userAccessKeys = keyed({
  key: 'userAccessKeys',
  description: "Each user's access keys (metadata only: ids, status, dates; never a secret).",
  keyedBy: 'user name',
  calls: [call('iam', 'ListAccessKeysCommand', 'iam:ListAccessKeys')],
  after: ['users'],
  schema: listOf('AccessKeyId'),
  keys: labUsers,
  read: ({ sdk, aws }, user) =>
    collectPages(sdk.iam.paginateListAccessKeys({ client: aws.iam }, { UserName: user }), (p) => p.AccessKeyMetadata),
});

export const definitions = [accountSummary, accountAliases, groups, groupPolicies, groupMembers, users, userMfaDevices, userAccessKeys] as const;
