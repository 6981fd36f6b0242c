// The lab's expected values. rubric.yaml sets them, a profile may override some,
// and `--param key.path=value` overrides any leaf from the command line.
import * as z from 'zod';

const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'an IPv4 CIDR such as 10.0.0.0/16');
const nameHints = z.array(z.string().min(1)).min(1);

export const paramsSchema = z
  .object({
    iam: z
      .object({
        /** The IAM group the lab asks for (step 1.2). */
        adminGroup: z.string().min(1),
        adminPolicyArn: z.string().startsWith('arn:'),
        /** Session credentials the grader could use prove CLI access (AWS Academy hands them out instead of access keys). */
        sessionCredentialsSuffice: z.boolean(),
      })
      .strict(),
    budget: z
      .object({
        budgetType: z.string(),
        timeUnit: z.string(),
        /** The lab's example limit; any positive limit passes, this one is named in hints. */
        exampleLimitUsd: z.number().positive(),
      })
      .strict(),
    bucket: z
      .object({
        nameHints,
        /** Glob patterns of the model files the lab uploads (step 2.2); `**` crosses folders. */
        modelFiles: z.array(z.string().min(1)).min(1),
        /** How many objects matching `modelFiles` the bucket must hold. */
        minModelFiles: z.number().int().positive(),
      })
      .strict(),
    repository: z
      .object({
        nameHints,
        encryption: z.enum(['AES256', 'KMS', 'KMS_DSSE']),
        /** The lab's example tag (a date); any tag other than `latest` counts as a version tag. */
        exampleTag: z.string(),
      })
      .strict(),
    network: z
      .object({
        vpcName: z.string(),
        vpcCidr: cidr,
        publicSubnetCidrs: z.array(cidr).length(2),
        privateSubnetCidrs: z.array(cidr).length(2),
        publicSubnetNameHints: nameHints,
        privateSubnetNameHints: nameHints,
        internetGatewayName: z.string(),
        /** The port the ALB listens on and its security group opens to the world. */
        albPort: z.number().int().min(1).max(65535),
        /** The port the container listens on and the app security group opens to the ALB. */
        appPort: z.number().int().min(1).max(65535),
      })
      .strict(),
    loadBalancer: z
      .object({
        nameHints,
        targetGroupNameHints: nameHints,
        healthCheckPath: z.string().startsWith('/'),
      })
      .strict(),
    ecs: z
      .object({
        clusterNameHints: nameHints,
        serviceNameHints: nameHints,
        /** Task CPU units (1024 = 1 vCPU) and memory MiB (3072 = 3 GB), as the lab asks. */
        cpu: z.number().int().positive(),
        memoryMiB: z.number().int().positive(),
        cpuArchitecture: z.string(),
        operatingSystemFamily: z.string(),
        /** When set, task and execution roles must be this role (the academy's `LabRole`). */
        requiredRoleName: z.string().nullable(),
        minDesiredCount: z.number().int().positive(),
      })
      .strict(),
    probe: z
      .object({
        /** Sentences any sentiment model should call positive / negative. */
        positiveTexts: z.array(z.string().min(1)).min(1),
        negativeTexts: z.array(z.string().min(1)).min(1),
        connectTimeoutMs: z.number().int().positive(),
        totalTimeoutMs: z.number().int().positive(),
        bodyCapBytes: z.number().int().positive(),
        retries: z.number().int().min(0).max(10),
        /** Every probe of one grade together, retries and backoff included, finishes within this. */
        budgetMs: z.number().int().positive(),
      })
      .strict(),
    /** On-demand prices in USD per hour for the cost notice (us-east-1 list prices; see the rubric comment). */
    prices: z
      .object({
        natGatewayHour: z.number().nonnegative(),
        loadBalancerHour: z.number().nonnegative(),
        fargateVcpuHour: z.number().nonnegative(),
        fargateGbHour: z.number().nonnegative(),
        publicIpv4Hour: z.number().nonnegative(),
      })
      .strict(),
  })
  .strict();

export type LabParams = z.infer<typeof paramsSchema>;
