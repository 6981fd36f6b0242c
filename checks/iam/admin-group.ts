import { defineCheck, fail, partial, pass } from '../../src/check/define.js';

export default defineCheck({
  id: 'iam.admin-group',
  title: 'An admin group with AdministratorAccess attached',
  run(lab, params) {
    const wanted = params.iam.adminGroup;
    const group = lab.adminGroup;
    if (!group?.GroupName) {
      const count = lab.read('groups').length;
      return fail(
        `Create an IAM group called ${wanted} and attach the AdministratorAccess policy: ` +
          `the account has ${count} group(s), none named ${wanted} and none with AdministratorAccess attached.`,
        [`no group named ${wanted} or with AdministratorAccess among ${count} group(s)`],
      );
    }
    const name = group.GroupName;
    const policies = lab.readKeyed('groupPolicies', name);
    const attached = policies.some((policy) => policy.PolicyArn === params.iam.adminPolicyArn);
    const policyNames = policies.map((policy) => policy.PolicyName).join(', ') || 'none';
    const notes =
      name.toLowerCase() === wanted.toLowerCase()
        ? []
        : [`group ${name} holds AdministratorAccess; the lab names the group ${wanted}`];
    if (attached) return pass([`group ${name}: AdministratorAccess attached`], notes);
    return partial(
      0.5,
      `Attach the AdministratorAccess policy to group ${name}: its attached policies are ${policyNames}.`,
      [`group ${name}: AdministratorAccess not attached (attached managed policies: ${policyNames})`],
      notes,
    );
  },
});
