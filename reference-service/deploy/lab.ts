// The deploy's own parameters: every name, CIDR, port and size it creates, in one place.
// Deploy and teardown both read them from here.

export const LAB = {
  project: 'sentiment-app',
  vpcName: 'sentiment-app-vpc',
  vpcCidr: '10.0.0.0/16',
  /** `az` is the index into the region's first two available zones. */
  publicSubnets: [
    { name: 'public-subnet-1', cidr: '10.0.1.0/24', az: 0 },
    { name: 'public-subnet-2', cidr: '10.0.2.0/24', az: 1 },
  ],
  privateSubnets: [
    { name: 'private-subnet-1', cidr: '10.0.3.0/24', az: 0 },
    { name: 'private-subnet-2', cidr: '10.0.4.0/24', az: 1 },
  ],
  internetGatewayName: 'sentiment-app-igw',
  publicRouteTableName: 'public-route-table',
  privateRouteTableName: 'private-route-table',
  elasticIpName: 'sentiment-app-nat-eip',
  natGatewayName: 'sentiment-app-nat',
  albSecurityGroupName: 'sentiment-app-alb-sg',
  appSecurityGroupName: 'sentiment-app-service-sg',
  albPort: 80,
  appPort: 8000,
  targetGroupName: 'sentiment-app-target-group',
  healthCheckPath: '/health',
  loadBalancerName: 'sentiment-app-alb',
  clusterName: 'sentiment-app-cluster',
  logGroupName: '/ecs/sentiment-app',
  logRetentionDays: 7,
  taskFamily: 'sentiment-app-task',
  containerName: 'sentiment-app-container',
  serviceName: 'sentiment-app-service',
  cpu: '1024',
  memory: '3072',
  desiredCount: 1,
  repositoryName: 'sentiment-app',
  modelPrefix: 'model',
  budgetName: 'sentiment-app-monthly-cost',
  budgetLimitUsd: 5,
  budgetAlertPercent: 80,
  alarmName: 'sentiment-app-unhealthy-targets',
  executionRoleName: 'sentiment-app-task-execution-role',
  taskRoleName: 'sentiment-app-task-role',
  academyRoleName: 'LabRole',
  executionRolePolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
} as const;

export interface DeployTarget {
  region: string;
  accountId: string;
  /** AWS Academy / Learner Lab: no IAM roles or budget are created, tasks run as LabRole. */
  academy: boolean;
  /** The image's version tag in the lab's repository (default: derived from the image's sources). */
  imageTag: string;
  /** An existing image to run instead (`--image`): nothing is built or pushed. */
  image?: string;
  /** Where the budget alert goes (own account). */
  alertEmail?: string;
}

/** S3 bucket names are global: the account and region make this one unique. */
export function bucketName(target: Pick<DeployTarget, 'accountId' | 'region'>): string {
  return `sentiment-app-models-${target.accountId}-${target.region}`;
}

export function registryHost(target: Pick<DeployTarget, 'accountId' | 'region'>): string {
  return `${target.accountId}.dkr.ecr.${target.region}.amazonaws.com`;
}

export function imageUri(target: DeployTarget): string {
  return target.image ?? `${registryHost(target)}/${LAB.repositoryName}:${target.imageTag}`;
}

/** An image in this account's registry: its repository and its tag or digest. */
export interface RegistryImage {
  repositoryName: string;
  imageId: { imageTag: string } | { imageDigest: string };
}

/** Splits `<registry>/<repo>:<tag>` or `<registry>/<repo>@sha256:…` when it is in this account and region's ECR. */
export function registryImage(target: Pick<DeployTarget, 'accountId' | 'region'>, uri: string): RegistryImage | undefined {
  const prefix = `${registryHost(target)}/`;
  if (!uri.startsWith(prefix)) return undefined;
  const reference = uri.slice(prefix.length);
  const at = reference.indexOf('@');
  if (at > 0) return { repositoryName: reference.slice(0, at), imageId: { imageDigest: reference.slice(at + 1) } };
  const colon = reference.lastIndexOf(':');
  if (colon > 0) return { repositoryName: reference.slice(0, colon), imageId: { imageTag: reference.slice(colon + 1) } };
  return { repositoryName: reference, imageId: { imageTag: 'latest' } };
}

export function modelS3Uri(target: Pick<DeployTarget, 'accountId' | 'region'>): string {
  return `s3://${bucketName(target)}/${LAB.modelPrefix}`;
}

export const projectTags = [{ Key: 'Project', Value: LAB.project }];
