// Reaching a student's account: the caller's own credentials (the standard chain or a named
// AWS profile), or a read-only role in the student's account assumed with them. Loaded only
// by a live read, so an offline regrade never loads the AWS SDK.
import { createClients, GLOBAL_REGION, type AwsClients, type ClientOptions } from '../aws/clients.js';
import { explainRoleFailure, roleCredentials, type GradingRole } from '../aws/role.js';
import { chooseLabRegion } from '../collect/region.js';

export interface AccountAccess {
  /** The AWS profile whose credentials read the account or assume the role (`--profile`, the roster's awsProfile). */
  awsProfile?: string;
  region?: string;
  /** A read-only role in the student's account (`--role-arn`, the roster's roleArn). */
  role?: GradingRole;
  /** Names the role session `lab-grader-<who>` in the student's CloudTrail: their id, or the command. */
  who: string;
  /** The student whose account it is, when known: a refused role is explained as not trusting their external id. */
  student?: string;
  /** Told of every AWS call (`--verbose`). */
  onCall?: ClientOptions['onCall'];
  /** The calls in flight, for the progress line. */
  pending?: ClientOptions['pending'];
}

/** Clients for the account; the caller destroys them. */
export function openAccount(access: AccountAccess): AwsClients {
  const region = access.region === undefined ? {} : { region: access.region };
  const onCall = { ...(access.onCall ? { onCall: access.onCall } : {}), ...(access.pending ? { pending: access.pending } : {}) };
  if (access.role) return createClients({ ...region, credentials: roleCredentials(access.role, access.who, access.region, access.awsProfile), ...onCall });
  return createClients({ ...(access.awsProfile === undefined ? {} : { awsProfile: access.awsProfile }), ...region, ...onCall });
}

/** Runs `use` with clients for the account, destroyed after. */
export async function withAccount<T>(access: AccountAccess, use: (clients: AwsClients) => Promise<T>): Promise<T> {
  const clients = openAccount(access);
  try {
    return await use(clients);
  } finally {
    clients.destroy();
  }
}

/** A refusal through a role names the role and its trust policy, the usual cause. */
export function explainAccessFailure(error: unknown, access: AccountAccess): unknown {
  return access.role ? explainRoleFailure(error, access.role, access.student) : error;
}

/**
 * `--region auto`: the enabled region that holds the lab, searched through the same access
 * (through the student's role, the regions searched are theirs); a UsageError when none does.
 * `note` is told which region was chosen and where else the lab appears.
 */
export async function chooseRegion(access: AccountAccess, note: (text: string) => void): Promise<string> {
  return withAccount({ ...access, region: GLOBAL_REGION }, async (clients) => {
    const chosen = await chooseLabRegion(clients, access.awsProfile).catch((error: unknown) => {
      throw explainAccessFailure(error, access);
    });
    const others = chosen.search.found.slice(1).map((found) => found.region);
    note(
      `--region auto: grading ${chosen.region}, which holds non-default VPC ${chosen.search.found[0]?.vpcIds.join(', ')}` +
        `${others.length > 0 ? ` (also found in ${others.join(', ')}: name one with --region to grade it)` : ''}.`,
    );
    return chosen.region;
  });
}
