// The CloudFormation template students deploy: a read-only role holding exactly the grading
// policy, assumable only by the instructor's account with the student's own external id.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { roleParameters } from '../../src/cli/commands/role.js';
import { studentExternalId } from '../../src/role-names.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const template = parse(readFileSync(`${root}policy/lab-grader-role.cfn.yaml`, 'utf8')) as {
  Parameters: Record<string, { AllowedPattern?: string; Default?: string }>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  Outputs: Record<string, unknown>;
};
const policy = JSON.parse(readFileSync(`${root}policy/lab-grader-policy.json`, 'utf8')) as { Statement: { Action: string[] }[] };

describe('policy/lab-grader-role.cfn.yaml', () => {
  const resources = Object.values(template.Resources);
  const role = resources[0]!.Properties as {
    Policies: { PolicyDocument: unknown }[];
    AssumeRolePolicyDocument: { Statement: unknown[] };
    ManagedPolicyArns?: unknown;
  };

  it('creates one role and nothing else', () => {
    expect(resources.map((resource) => resource.Type)).toEqual(['AWS::IAM::Role']);
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies).toHaveLength(1);
  });

  it("holds exactly lab-grader's policy: the same statements, so the same read-only actions (npm run policy writes them)", () => {
    expect(role.Policies[0]!.PolicyDocument).toEqual(policy);
    const actions = policy.Statement.flatMap((statement) => statement.Action);
    expect(actions.every((action) => /^[a-z0-9-]+:(Describe|List|Get|Lookup|View)/.test(action))).toBe(true);
  });

  it("trusts only the instructor's account, and only with the external id", () => {
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${GraderAccountId}:root' } },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
      },
    ]);
  });

  it('checks its parameters as the roster does, and names the role as the docs do', () => {
    const account = new RegExp(template.Parameters.GraderAccountId!.AllowedPattern!);
    expect(['111122223333', '012345678901'].every((id) => account.test(id))).toBe(true);
    expect(['1111', '11112222333a', ''].some((id) => account.test(id))).toBe(false);
    const externalId = new RegExp(template.Parameters.ExternalId!.AllowedPattern!);
    expect(externalId.test('course-2026')).toBe(true);
    expect(externalId.test('x')).toBe(false);
    expect(template.Parameters.RoleName!.Default).toBe('lab-grader-readonly');
    expect(template.Outputs.RoleArn).toEqual({ Description: expect.any(String), Value: { 'Fn::GetAtt': ['GraderRole', 'Arn'] } });
  });

  it('takes the parameters `lab-grader role` fills in, and accepts the external id it derives', () => {
    const externalId = studentExternalId('4f1c9a0e5b7d2c3e8f6a1b0c9d8e7f6a', 'alice');
    const parameters = roleParameters('111122223333', externalId, 'course-grader');
    expect(Object.keys(parameters).every((name) => name in template.Parameters)).toBe(true);
    expect(new RegExp(template.Parameters.ExternalId!.AllowedPattern!).test(externalId)).toBe(true);
  });
});
