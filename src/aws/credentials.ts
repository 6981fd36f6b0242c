// The credentials check that starts every collection: who is calling, or exit 3 with
// what to do. Messages never contain a key or a token.
import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { AwsAccessError, UsageError } from '../errors.js';
import { endpointOf, errorCode, safeMessage, type Sender } from './errors.js';
import { EXPIRED_CREDENTIALS as EXPIRED, INVALID_CREDENTIALS, NETWORK, plainMessage, unreadableAnswer } from '../snapshot/error-class.js';
import type { CallerIdentity } from '../snapshot/types.js';

const CONFIGURE =
  'Configure credentials in one of the standard ways: `aws configure` (an IAM user\'s access keys), ' +
  'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment, ' +
  '`aws sso login --profile NAME` then --profile NAME, or run lab-grader in AWS CloudShell, which needs nothing.';

const ACADEMY =
  'On AWS Academy, your Learner Lab session ended: start the lab again, open "AWS Details", ' +
  'and copy the new aws_access_key_id, aws_secret_access_key and aws_session_token into ~/.aws/credentials.';

function profileHint(profile: string | undefined): string {
  return profile ? ` (profile "${profile}")` : '';
}

/** Turns a failed credentials check into what a person should do about it. */
export function explainCredentialError(error: unknown, profile?: string): Error {
  const code = errorCode(error);
  const message = safeMessage(error instanceof Error ? error.message : String(error));
  const name = error instanceof Error ? error.name : '';
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError' || /credential/i.test(code)) {
    if (/sso/i.test(message)) {
      return new AwsAccessError(
        `Your AWS SSO session${profileHint(profile)} has expired or was never started: run \`aws sso login${profile ? ` --profile ${profile}` : ''}\` and grade again.`,
      );
    }
    return new AwsAccessError(`No AWS credentials were found${profileHint(profile)}. ${CONFIGURE}`);
  }
  if (EXPIRED.has(code)) {
    return new AwsAccessError(
      `Your AWS credentials${profileHint(profile)} have expired (${code}). ${ACADEMY} ` +
        'With SSO, run `aws sso login` again; with temporary credentials, get new ones.',
    );
  }
  if (INVALID_CREDENTIALS.has(code)) {
    return new AwsAccessError(
      `AWS does not recognise your credentials${profileHint(profile)} (${code}): the access key was deleted, ` +
        `deactivated or mistyped, or a session token is missing. ${ACADEMY} Otherwise create a new access key ` +
        'for your IAM user and run `aws configure`.',
    );
  }
  const endpoint = endpointOf(error);
  const at = endpoint === undefined ? '' : ` at ${endpoint}`;
  if (NETWORK.has(code) || name === 'AbortError') {
    const attempts = (error as { $metadata?: { attempts?: unknown } }).$metadata?.attempts;
    const tries = typeof attempts === 'number' && attempts > 1 ? `, ${attempts} attempts` : '';
    return new AwsAccessError(
      `Could not reach AWS STS${at} (${code}: ${plainMessage(message)}${tries}). Check your network connection and proxy settings, ` +
        'the region (--region or AWS_REGION), and AWS_ENDPOINT_URL if you set one.',
    );
  }
  if (/region is missing/i.test(message)) {
    return new UsageError(
      'No AWS region is set: pass --region with the region you built the lab in (e.g. --region eu-west-1), or --region auto to grade the region that holds it; ' +
        'or set AWS_REGION, or a region in your profile.',
    );
  }
  const answer = unreadableAnswer(code, message);
  if (answer !== undefined) {
    return new AwsAccessError(
      `The credentials check (sts:GetCallerIdentity) got no AWS answer: the STS endpoint${at} answered ${answer}. ` +
        'Check AWS_ENDPOINT_URL and your proxy settings, or grade against AWS.',
    );
  }
  return new AwsAccessError(`The credentials check (sts:GetCallerIdentity${at}) failed: ${code}: ${plainMessage(message)}`);
}

/** sts:GetCallerIdentity: the account and identity grading reads, or exit 3 with what to do. */
export async function identifyCaller(sts: Sender, profile?: string): Promise<CallerIdentity> {
  let output: GetCallerIdentityCommandOutput;
  try {
    output = (await sts.send(new GetCallerIdentityCommand({}))) as GetCallerIdentityCommandOutput;
  } catch (error) {
    throw explainCredentialError(error, profile);
  }
  return { Account: output.Account ?? '', Arn: output.Arn ?? '', UserId: output.UserId ?? '' };
}

/** The account of the caller's own credentials (the standard chain, or a named AWS profile): one sts:GetCallerIdentity, or exit 3 with what to do. */
export async function callerAccount(awsProfile?: string): Promise<string> {
  const { createClients, GLOBAL_REGION } = await import('./clients.js');
  const clients = createClients({ region: GLOBAL_REGION, ...(awsProfile === undefined ? {} : { awsProfile }) });
  try {
    return (await identifyCaller(clients.sts, awsProfile)).Account;
  } finally {
    clients.destroy();
  }
}
