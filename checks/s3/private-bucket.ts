import type { PublicAccessBlockConfiguration } from '@aws-sdk/client-s3';
import { defineCheck, fail, partial, pass } from '../../src/check/define.js';
import type { Json } from '../../src/snapshot/types.js';
import { missingBucket } from './model-files.js';

const SETTINGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;
// A Map: a grantee URI in a handed-in snapshot may be `constructor`, which a plain object would answer.
const PUBLIC_GROUPS = new Map([
  ['http://acs.amazonaws.com/groups/global/AllUsers', 'AllUsers'],
  ['http://acs.amazonaws.com/groups/global/AuthenticatedUsers', 'AuthenticatedUsers'],
]);

type Block = Json<PublicAccessBlockConfiguration> | null;

const offIn = (block: Block): string[] => SETTINGS.filter((setting) => block?.[setting] !== true);

function describeBlock(block: Block, level: string): string {
  if (block === null) return `no ${level}-level public access block`;
  const off = offIn(block);
  return off.length === 0 ? 'all four public access blocks on' : `public access block off for ${off.join(', ')}`;
}

function describePolicy(policy: { IsPublic?: boolean } | null): string {
  if (policy === null) return 'no bucket policy';
  return policy.IsPublic === true ? 'bucket policy makes it public (IsPublic = true)' : 'bucket policy is not public';
}

export default defineCheck({
  id: 's3.private-bucket',
  title: 'The lab bucket blocks public access and is not public',
  run(lab, params) {
    const name = lab.bucket?.Name;
    if (name === undefined) return missingBucket(lab, params);
    const evidence: string[] = [];
    const bucketBlock = lab.readKeyed('bucketPublicAccessBlocks', name);
    let blockOff = offIn(bucketBlock);
    if (blockOff.length === 0) evidence.push(`bucket ${name}: all four public access blocks on`);
    else {
      // AWS applies the stricter of the account's and the bucket's setting, one setting at a time.
      const accountBlock = lab.read('accountPublicAccessBlock');
      const accountOff = offIn(accountBlock);
      blockOff = blockOff.filter((setting) => accountOff.includes(setting));
      evidence.push(
        `bucket ${name}: ${describeBlock(bucketBlock, 'bucket')}`,
        `account ${lab.snapshot.account}: ${describeBlock(accountBlock, 'account')}`,
      );
      if (blockOff.length === 0) evidence.push(`bucket ${name}: all four public access blocks on with the account's`);
    }
    const policy = lab.readKeyed('bucketPolicyStatus', name);
    const publicByPolicy = policy?.IsPublic === true;
    evidence.push(`bucket ${name}: ${describePolicy(policy)}`);
    const publicGrants = lab
      .readKeyed('bucketAcls', name)
      .flatMap((grant) => {
        const group = grant.Grantee?.URI ? PUBLIC_GROUPS.get(grant.Grantee.URI) : undefined;
        return group ? [`${group} ${grant.Permission}`] : [];
      });
    evidence.push(`bucket ${name}: ${publicGrants.length > 0 ? `ACL grants ${publicGrants.join(', ')}` : 'ACL grants nothing to AllUsers or AuthenticatedUsers'}`);

    const fixes = [
      ...(publicByPolicy ? ['remove the bucket policy statements that allow Principal "*"'] : []),
      ...(publicGrants.length > 0 ? [`remove the ACL grants to ${publicGrants.join(', ')}`] : []),
      ...(blockOff.length > 0 ? [`turn Block Public Access back on (${blockOff.join(', ')})`] : []),
    ];
    if (fixes.length === 0) return pass(evidence);
    const hint = `Make bucket ${name} private: ${fixes.join('; ')}.`;
    // Not public yet, but one policy or ACL away from it: half the points.
    return publicByPolicy || publicGrants.length > 0 ? fail(hint, evidence) : partial(0.5, hint, evidence);
  },
});
