// `lab-grader policy`: print the least-privilege IAM policy that grading needs.
import { graderPolicyJson } from '../../collect/policy.js';

export async function policyCommand(): Promise<number> {
  process.stdout.write(graderPolicyJson());
  return 0;
}
