import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CallContext, READ_CALLS, readActions, UnlistedCommandError } from '../../src/collect/calls.js';
import { collectSnapshot } from '../../src/collect/index.js';
import { graderPolicyJson } from '../../src/collect/policy.js';
import { FACT_CALLS } from '../../src/snapshot/facts.js';
import { example, labParams } from '../support/fixtures.js';
import { mockAccount, type MockedAccount } from './mock-account.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const READ_ONLY = /^(Describe|List|Get|Lookup)[A-Za-z0-9]+Command$/;

let account: MockedAccount | undefined;
afterEach(() => {
  account?.restore();
  account = undefined;
});

describe('read-only, provably', () => {
  it('every command the collector can send is a Describe, List, Get or Lookup', () => {
    const names = [...READ_CALLS.keys()].map((command) => command.name);
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((name) => !READ_ONLY.test(name))).toEqual([]);
    expect([...READ_CALLS.values()].filter((action) => !/^[a-z0-9-]+:(Describe|List|Get|Lookup|View)[A-Za-z0-9]+$/.test(action))).toEqual([]);
  });

  it('every command or paginator used anywhere in the collector source is a listed one', () => {
    const listed = new Set([...READ_CALLS.keys()].map((command) => command.name));
    const constructed = new Set<string>();
    // Every source file the grader ships, found by walking src/ and checks/: a new collector file cannot escape.
    const files = ['src', 'checks'].flatMap((dir) =>
      readdirSync(`${root}${dir}`, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
        .map((file) => `${root}${dir}/${file}`),
    );
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      // `import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand }` names the real class.
      const aliases = new Map([...source.matchAll(/(\w+Command) as (\w+Command)/g)].map((m) => [m[2], m[1]]));
      // `new DescribeAddressesCommand(` or, through the SDK module handed to readers, `new sdk.ec2.DescribeAddressesCommand(`.
      for (const [, name] of source.matchAll(/new (?:[\w.]+\.)?(\w+Command)\(/g)) constructed.add(aliases.get(name!) ?? name!);
      // A paginator sends its command page after page: paginateListBuckets sends ListBucketsCommand.
      for (const [, name] of source.matchAll(/paginate(\w+)\(/g)) constructed.add(`${name}Command`);
    }
    expect(constructed.size).toBeGreaterThan(40);
    expect([...constructed].filter((name) => !listed.has(name))).toEqual([]);
  });

  it('the wrapper refuses any command that is not listed, before it reaches AWS', async () => {
    const ctx = new CallContext(4);
    const ec2 = ctx.wrap(new EC2Client({ region: 'eu-west-1' }));
    await expect(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).rejects.toBeInstanceOf(UnlistedCommandError);
    const s3 = ctx.wrap(new S3Client({ region: 'eu-west-1' }));
    await expect(s3.send(new DeleteBucketCommand({ Bucket: 'example' }))).rejects.toThrow(/DeleteBucketCommand is not a listed read-only call/);
    expect(ctx.calls).toBe(0);
  });

  it('a full collection sends only listed commands, and every fact names a call the policy grants', async () => {
    account = mockAccount(example('complete-lab'));
    await collectSnapshot({ params: labParams(), region: 'eu-west-1' });
    const sent = Object.values(account)
      .filter((stub): stub is MockedAccount['ec2'] => typeof stub === 'object' && stub !== null && 'calls' in stub)
      .flatMap((stub) => stub.calls().map((call) => (call.args[0] as object).constructor));
    expect(sent.length).toBeGreaterThan(40);
    for (const command of sent) expect(READ_CALLS.has(command as never), command.name).toBe(true);
    const actions = new Set(readActions());
    for (const call of Object.values(FACT_CALLS)) expect(actions.has(call), call).toBe(true);
  });
});

describe('the least-privilege policy', () => {
  it('policy/lab-grader-policy.json equals the set of actions the collector calls', () => {
    const committed = readFileSync(`${root}policy/lab-grader-policy.json`, 'utf8');
    expect(committed).toBe(graderPolicyJson());
    const policy = JSON.parse(committed) as { Statement: { Action: string[]; Resource: string; Effect: string }[] };
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]?.Action).toEqual([...new Set(READ_CALLS.values())].sort());
    expect(policy.Statement[0]?.Resource).toBe('*');
    expect(policy.Statement[0]?.Effect).toBe('Allow');
  });

  it('maps the commands whose IAM action differs from their name', () => {
    const byName = new Map([...READ_CALLS].map(([command, action]) => [command.name, action]));
    expect(byName.get('ListObjectsV2Command')).toBe('s3:ListBucket');
    expect(byName.get('ListBucketsCommand')).toBe('s3:ListAllMyBuckets');
    expect(byName.get('DescribeBudgetsCommand')).toBe('budgets:ViewBudget');
    const publicAccessBlocks = [...READ_CALLS].filter(([command]) => command.name === 'GetPublicAccessBlockCommand').map(([, action]) => action);
    expect(publicAccessBlocks.sort()).toEqual(['s3:GetAccountPublicAccessBlock', 's3:GetBucketPublicAccessBlock']);
  });
});
