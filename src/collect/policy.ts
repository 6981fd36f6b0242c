// The least-privilege IAM policy grading needs: exactly the actions the collector calls.
import { readActions } from './calls.js';

export interface IamPolicy {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: '*' }[];
}

export function graderPolicy(): IamPolicy {
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'LabGraderReadOnly', Effect: 'Allow', Action: readActions(), Resource: '*' }],
  };
}

/** The policy as `lab-grader policy` prints it and policy/lab-grader-policy.json holds it. */
export function graderPolicyJson(): string {
  return `${JSON.stringify(graderPolicy(), null, 2)}\n`;
}
