// Whether the account graded is an AWS Academy Learner Lab's, seen in its snapshot: graded with
// the own-account profile, such an account loses points for what Learner Lab forbids (an IAM
// user and group, a budget), so the grade says which profile fits. Pure: a regrade says the same.
import { keyedDataOf } from '../facts/define.js';
import { classifyError } from '../snapshot/error-class.js';
import type { Snapshot } from '../snapshot/types.js';

/** The roles Learner Lab (voclabs) and AWS Academy's sandbox (vocstartsoft) sign students in with. */
const ACADEMY_SESSION = /:assumed-role\/(voclabs|vocstartsoft)\//;
/** The role Learner Lab gives tasks, since it lets students create none. */
const LAB_ROLE = /:role\/LabRole$/;

/** What in the snapshot shows Learner Lab's shape, one item a sign; empty when nothing does. */
function learnerLabSigns(snapshot: Snapshot): { session: boolean; signs: string[] } {
  const signs: string[] = [];
  const session = ACADEMY_SESSION.exec(snapshot.caller)?.[1];
  if (session !== undefined) signs.push(`the grader read it as the ${session} role, which AWS Academy signs students in with`);
  const definitions = keyedDataOf(snapshot.facts.taskDefinitions).flatMap(([, definition]) => (definition ? [definition] : []));
  if (definitions.some((definition) => [definition.taskRoleArn, definition.executionRoleArn].some((arn) => arn !== undefined && LAB_ROLE.test(arn)))) {
    signs.push('its task definition runs as LabRole');
  }
  const users = snapshot.facts.users;
  if (users !== undefined && !users.ok && classifyError(users.error.code) === 'denied') signs.push(`IAM users may not be listed (${users.error.code})`);
  return { session: session !== undefined, signs };
}

/**
 * The signs that the account is a Learner Lab's, when they are enough to say so: its session
 * role alone (no one else signs in as voclabs), or two of the others (LabRole is a name anyone
 * may give a role). Undefined otherwise.
 */
export function learnerLabShape(snapshot: Snapshot): string[] | undefined {
  const { session, signs } = learnerLabSigns(snapshot);
  return session || signs.length >= 2 ? signs : undefined;
}

/** The warning for an account of that shape graded with another lab profile, with the command that grades it right. */
export function academyNudge(signs: readonly string[], labProfile: string, command: string): string {
  return (
    `This account looks like an AWS Academy Learner Lab (${signs.join('; ')}), graded with the ${labProfile} profile, ` +
    `which asks for what Learner Lab does not allow (an IAM user and group, a budget). Grade it with: ${command}`
  );
}
