// `lab-grader role --student ID`: a student's external id, derived from the course secret, and
// the one step that creates their read-only role with it. A role made this way trusts the
// instructor's account with this student's id only: grading anyone else through it is refused.
import { AwsAccessError, UsageError } from '../../errors.js';
import { studentExternalId } from '../../role-names.js';
import { COURSE_SECRET_ENV, readCourseSecret } from '../course-secret.js';

export interface RoleOptions {
  student: string[];
  /** The instructor's account, which the role trusts (default: the caller's, from STS). */
  graderAccount?: string;
  /** An https URL of policy/lab-grader-role.cfn.yaml (an S3 object): adds a CloudFormation quick-create link. */
  templateUrl?: string;
  /** The console region of the quick-create link (a role is global; the stack lives in one region). */
  region?: string;
  roleName: string;
  courseSecretFile?: string;
  /** The AWS profile whose account grades, when --grader-account is not given. */
  awsProfile?: string;
}

export const ROLE_STACK = 'lab-grader-role';
const TEMPLATE = 'lab-grader-role.cfn.yaml';

/** The template's parameters for one student, in the order the template declares them. */
export function roleParameters(graderAccount: string, externalId: string, roleName: string): Record<string, string> {
  return { GraderAccountId: graderAccount, ExternalId: externalId, ...(roleName === 'lab-grader-readonly' ? {} : { RoleName: roleName }) };
}

/** The CloudFormation console's quick-create page with the template and the student's values filled in. */
export function quickCreateUrl(templateUrl: string, region: string, parameters: Record<string, string>): string {
  const query = new URLSearchParams({ templateURL: templateUrl, stackName: ROLE_STACK });
  for (const [key, value] of Object.entries(parameters)) query.set(`param_${key}`, value);
  return `https://console.aws.amazon.com/cloudformation/home?region=${encodeURIComponent(region)}#/stacks/quickcreate?${query.toString()}`;
}

/** What one student is sent: their external id and how to create the role with it. */
export function roleSetup(student: string, externalId: string, options: Pick<RoleOptions, 'templateUrl' | 'region' | 'roleName'> & { graderAccount: string }): string {
  const parameters = roleParameters(options.graderAccount, externalId, options.roleName);
  const overrides = Object.entries(parameters).map(([key, value]) => `${key}=${value}`).join(' ');
  return [
    `Student ${student}`,
    `  External id: ${externalId}`,
    `  Create the read-only role in ${student}'s own AWS account, in one step (the template is policy/${TEMPLATE} of the lab-grader package):`,
    `    aws cloudformation deploy --stack-name ${ROLE_STACK} --template-file ${TEMPLATE} --capabilities CAPABILITY_NAMED_IAM \\`,
    `      --parameter-overrides ${overrides}`,
    ...(options.templateUrl === undefined
      ? []
      : ['  or open the CloudFormation console with every value filled in, and acknowledge that it creates an IAM role:', `    ${quickCreateUrl(options.templateUrl, options.region ?? 'us-east-1', parameters)}`]),
    `  The role's ARN (the stack's RoleArn output, arn:aws:iam::<${student}'s account>:role/${options.roleName}) is what the roster's roleArn, or role-arn.txt, names.`,
    `  Only your account ${options.graderAccount}, with this external id, can assume it: grading another student through it is refused by AWS.`,
  ].join('\n');
}

/** The account grading runs from: the caller of the standard chain (or --profile). */
async function graderAccount(awsProfile: string | undefined): Promise<string> {
  const { callerAccount } = await import('../../aws/credentials.js');
  return callerAccount(awsProfile).catch((error: unknown) => {
    throw error instanceof AwsAccessError ? new AwsAccessError(`${error.message} Or give the account that grades with --grader-account 111122223333.`) : error;
  });
}

export async function roleCommand(options: RoleOptions): Promise<number> {
  if (options.templateUrl !== undefined && !/^https:\/\/[^\s/]+\/\S+$/.test(options.templateUrl)) {
    throw new UsageError(`--template-url ${options.templateUrl}: expected the https URL of ${TEMPLATE} uploaded to S3 (CloudFormation's quick-create reads templates from S3)`);
  }
  const secret = readCourseSecret(options.courseSecretFile);
  if (secret === undefined) {
    throw new UsageError(`a student's external id is derived from the course secret: set ${COURSE_SECRET_ENV} or pass --course-secret-file FILE (make one with \`openssl rand -hex 32 > course-secret\`).`);
  }
  const grader = options.graderAccount ?? (await graderAccount(options.awsProfile));
  const blocks = [...new Set(options.student)].map((student) => roleSetup(student, studentExternalId(secret, student), { ...options, graderAccount: grader }));
  process.stdout.write(`${blocks.join('\n\n')}\n`);
  return 0;
}
