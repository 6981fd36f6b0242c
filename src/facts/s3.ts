// S3: the account's public access block, the buckets, and each lab bucket's access settings
// and objects, read in the bucket's own region.
import type { Bucket } from '@aws-sdk/client-s3';
import * as z from 'zod';
import { call, collectPages, dataOf, keyed, listOf, lookup, sdkObject, single, type ReadContext } from './define.js';
import { labFirst, matchesHint } from './names.js';

const BOUNDS = {
  buckets: 100,
  /** Buckets whose objects are listed when no name hint matches: all of them if there are this few. */
  bucketsListedWithoutHint: 5,
  objectPages: 2,
} as const;

/** S3's GetBucketLocation answers null for us-east-1 and `EU` for the oldest eu-west-1 buckets. */
function locationRegion(constraint: string | undefined | null): string {
  if (!constraint) return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

/** A client in the bucket's region; unknown, the lab's region: S3 redirects, and a failure lands on the bucket's facts. */
function bucketClient(ctx: ReadContext, bucket: string) {
  return ctx.aws.s3(dataOf(ctx.entry<string>('bucketRegions', bucket)) ?? ctx.region);
}

export const accountPublicAccessBlock = single({
  key: 'accountPublicAccessBlock',
  description: "The account's S3 Block Public Access settings (s3control); null when none is set.",
  calls: [call('s3control', 'GetPublicAccessBlockCommand', 's3:GetAccountPublicAccessBlock')],
  schema: sdkObject.nullable(),
  read: async ({ sdk, aws, caller }) =>
    (await aws.s3control.send(new sdk.s3control.GetPublicAccessBlockCommand({ AccountId: caller.Account }))).PublicAccessBlockConfiguration ??
    null,
  none: { codes: ['NoSuchPublicAccessBlockConfiguration'], value: null },
});

export const buckets = single({
  key: 'buckets',
  description: 'S3 buckets, with their region when ListBuckets gives it.',
  calls: [call('s3', 'ListBucketsCommand', 's3:ListAllMyBuckets')],
  schema: listOf('Name'),
  read: ({ sdk, aws, region }) => collectPages(sdk.s3.paginateListBuckets({ client: aws.s3(region) }, {}), (p) => p.Buckets),
});

/** Each lab bucket's region: from ListBuckets, else asked. */
const bucketRegions = lookup<string>({
  key: 'bucketRegions',
  calls: [call('s3', 'GetBucketLocationCommand', 's3:GetBucketLocation')],
  after: ['buckets'],
  serves: ['bucketPublicAccessBlocks', 'bucketPolicyStatus', 'bucketAcls', 'bucketObjects'],
  keys: (ctx) =>
    labFirst(dataOf(ctx.get<Bucket[]>('buckets')) ?? [], (b) => b.Name, ctx.hints.bucket.nameHints, BOUNDS.buckets).map((b) => b.Name ?? ''),
  read: async ({ sdk, aws, region, get }, bucket) => {
    const listed = (dataOf(get<Bucket[]>('buckets')) ?? []).find((b) => b.Name === bucket)?.BucketRegion;
    if (listed) return listed;
    return locationRegion((await aws.s3(region).send(new sdk.s3.GetBucketLocationCommand({ Bucket: bucket }))).LocationConstraint);
  },
});

export const bucketPublicAccessBlocks = keyed({
  key: 'bucketPublicAccessBlocks',
  description: "Each bucket's Block Public Access settings; null when the bucket has none configured.",
  keyedBy: 'bucket name',
  calls: [call('s3', 'GetPublicAccessBlockCommand', 's3:GetBucketPublicAccessBlock')],
  after: ['bucketRegions'],
  schema: sdkObject.nullable(),
  keys: (ctx) => ctx.keysOf('bucketRegions'),
  read: async (ctx, bucket) =>
    (await bucketClient(ctx, bucket).send(new ctx.sdk.s3.GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration ?? null,
  none: { codes: ['NoSuchPublicAccessBlockConfiguration'], value: null },
});

export const bucketPolicyStatus = keyed({
  key: 'bucketPolicyStatus',
  description: "Whether each bucket's policy makes it public; null when the bucket has no policy.",
  keyedBy: 'bucket name',
  calls: [call('s3', 'GetBucketPolicyStatusCommand', 's3:GetBucketPolicyStatus')],
  after: ['bucketRegions'],
  schema: sdkObject.nullable(),
  keys: (ctx) => ctx.keysOf('bucketRegions'),
  read: async (ctx, bucket) =>
    (await bucketClient(ctx, bucket).send(new ctx.sdk.s3.GetBucketPolicyStatusCommand({ Bucket: bucket }))).PolicyStatus ?? null,
  none: { codes: ['NoSuchBucketPolicy'], value: null },
});

export const bucketAcls = keyed({
  key: 'bucketAcls',
  description: "Each bucket's ACL grants.",
  keyedBy: 'bucket name',
  calls: [call('s3', 'GetBucketAclCommand', 's3:GetBucketAcl')],
  after: ['bucketRegions'],
  schema: z.array(sdkObject),
  keys: (ctx) => ctx.keysOf('bucketRegions'),
  read: async (ctx, bucket) => (await bucketClient(ctx, bucket).send(new ctx.sdk.s3.GetBucketAclCommand({ Bucket: bucket }))).Grants ?? [],
});

export const bucketObjects = keyed({
  key: 'bucketObjects',
  description: 'The first page(s) of ListObjectsV2 of the buckets a name hint matches (of every bucket, when there are few).',
  keyedBy: 'bucket name',
  calls: [call('s3', 'ListObjectsV2Command', 's3:ListBucket')],
  after: ['bucketRegions'],
  schema: listOf('Key'),
  keys: (ctx) => {
    const names = ctx.keysOf('bucketRegions');
    return names.length <= BOUNDS.bucketsListedWithoutHint ? names : names.filter((name) => matchesHint(name, ctx.hints.bucket.nameHints));
  },
  read: (ctx, bucket) =>
    collectPages(ctx.sdk.s3.paginateListObjectsV2({ client: bucketClient(ctx, bucket) }, { Bucket: bucket }), (p) => p.Contents, BOUNDS.objectPages),
});

export const definitions = [
  accountPublicAccessBlock,
  buckets,
  bucketRegions,
  bucketPublicAccessBlocks,
  bucketPolicyStatus,
  bucketAcls,
  bucketObjects,
] as const;
