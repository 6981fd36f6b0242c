import { defineCheck, fail, pass } from '../../src/check/define.js';
import { label, nameTag } from '../../src/resolve/tags.js';

export default defineCheck({
  id: 'vpc.internet-gateway',
  title: 'An internet gateway attached to the lab VPC',
  run(lab, params) {
    const vpc = lab.vpc;
    const igwName = params.network.internetGatewayName;
    if (!vpc) {
      return fail(`Create the lab VPC first, then an internet gateway (e.g. ${igwName}) attached to it.`, [
        'no lab VPC to attach an internet gateway to',
      ]);
    }
    const igw = lab.internetGateway;
    if (!igw) {
      return fail(`Create an internet gateway (e.g. ${igwName}) and attach it to ${label(vpc.VpcId, vpc.Tags)}.`, [
        `no internet gateway attached to ${vpc.VpcId}, and none detached that the lab's routes or names point to`,
      ]);
    }
    // EC2 reports an attached internet gateway's attachment state as `available`.
    const attachment = (igw.Attachments ?? []).find((a) => a.VpcId === vpc.VpcId);
    const state = attachment?.State as string | undefined;
    const notes = nameTag(igw.Tags) ? [] : [`internet gateway ${igw.InternetGatewayId} has no Name tag; the lab suggests ${igwName}`];
    if (attachment && (state === 'available' || state === 'attached')) {
      return pass([`internet gateway ${label(igw.InternetGatewayId, igw.Tags)} attached to ${vpc.VpcId} (state ${state})`], notes);
    }
    const attachedTo = (igw.Attachments ?? []).map((a) => `${a.VpcId} (${a.State})`).join(', ');
    return fail(
      `Attach internet gateway ${label(igw.InternetGatewayId, igw.Tags)} to ${label(vpc.VpcId, vpc.Tags)} (VPC console → Internet gateways → Actions → Attach to VPC): it is ${attachedTo ? `attached to ${attachedTo}` : 'not attached to any VPC'}.`,
      [`internet gateway ${label(igw.InternetGatewayId, igw.Tags)}: ${attachedTo ? `attachments ${attachedTo}` : 'detached'}`],
      notes,
    );
  },
});
