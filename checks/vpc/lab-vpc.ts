import { defineCheck, fail } from '../../src/check/define.js';
import { byParts } from '../../src/check/parts.js';
import { vpcCidrBlocks } from '../../src/resolve/cidr.js';
import { label, nameTag } from '../../src/resolve/tags.js';

export default defineCheck({
  id: 'vpc.lab-vpc',
  title: 'A new VPC (not the default) with the lab CIDR and default tenancy',
  run(lab, params) {
    const { vpcName, vpcCidr } = params.network;
    const asked = `a VPC named ${vpcName} with IPv4 CIDR ${vpcCidr} and default tenancy`;
    const vpc = lab.vpc;
    if (!vpc) {
      const vpcs = lab.read('vpcs');
      return fail(`Create ${asked}.`, [
        vpcs.length ? `only the default VPC: ${vpcs.map((v) => label(v.VpcId, v.Tags)).join(', ')}` : 'no VPC in this region',
      ]);
    }
    const blocks = vpcCidrBlocks(vpc);
    const name = nameTag(vpc.Tags);
    const evidence = [`VPC ${label(vpc.VpcId, vpc.Tags)}: CIDR ${blocks.join(', ') || 'none'}, tenancy ${vpc.InstanceTenancy ?? 'unknown'}, ${vpc.IsDefault ? 'the default VPC' : 'not the default VPC'}`];
    if (vpc.IsDefault) {
      return fail(`${vpc.VpcId} is the default VPC AWS creates; the lab asks you to create your own: ${asked}, and to put the load balancer and service in it.`, evidence);
    }
    const notes: string[] = [];
    // The lab's wording gives the name, but a VPC the load balancer and service use is the lab's whatever it is called.
    if (name?.toLowerCase() !== vpcName.toLowerCase()) notes.push(`VPC ${vpc.VpcId} is ${name ? `named ${name}` : 'unnamed'}; the lab names it ${vpcName}`);
    if (blocks.includes(vpcCidr) && vpc.CidrBlock !== vpcCidr) notes.push(`${vpcCidr} is a secondary CIDR of ${vpc.VpcId}; its primary is ${vpc.CidrBlock}`);
    return byParts(
      [
        { ok: blocks.includes(vpcCidr), fix: `VPC ${label(vpc.VpcId, vpc.Tags)} has CIDR ${blocks.join(', ')}; the lab asks for ${vpcCidr} (a CIDR cannot be edited: create the VPC again with ${vpcCidr}).` },
        { ok: vpc.InstanceTenancy === 'default', fix: `VPC ${vpc.VpcId} has ${vpc.InstanceTenancy} tenancy; the lab asks for Default (dedicated hardware costs extra).` },
      ],
      evidence,
      notes,
    );
  },
});
