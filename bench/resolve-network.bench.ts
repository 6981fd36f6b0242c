// Benchmark (not a test): resolving the lab and grading section 4 in accounts that hold
// many decoys (VPCs with lab-like names and subnets, load balancers with target groups).
// Prints times per account size; asserts nothing. Run: npx tsx bench/resolve-network.bench.ts
import { performance } from 'node:perf_hooks';
import type { Snapshot } from '../src/snapshot/types.js';
import { elbChecks } from '../checks/elb/index.js';
import { vpcChecks } from '../checks/vpc/index.js';
import { completeLabWith, dataOf, labOf, labParams, runChecks } from '../test/support/fixtures.js';

const RUNS = 20;

function withDecoys(count: number): Snapshot {
  return completeLabWith((s) => {
    const hex = (n: number) => n.toString(16).padStart(8, '0');
    for (let i = 0; i < count; i += 1) {
      const vpcId = `vpc-0bench${hex(i)}`;
      dataOf(s.facts.vpcs).push({ VpcId: vpcId, CidrBlock: '10.0.0.0/16', IsDefault: false, InstanceTenancy: 'default', Tags: [{ Key: 'Name', Value: 'sentiment-app-vpc' }] });
      for (let j = 0; j < 4; j += 1) {
        dataOf(s.facts.subnets).push({
          SubnetId: `subnet-0bench${hex(i)}${j}`,
          VpcId: vpcId,
          CidrBlock: `10.0.${j + 1}.0/24`,
          AvailabilityZone: `eu-west-1${'ab'[j % 2]}`,
          Tags: [{ Key: 'Name', Value: `${j < 2 ? 'public' : 'private'}-subnet-${(j % 2) + 1}` }],
        });
      }
      dataOf(s.facts.routeTables).push({ RouteTableId: `rtb-0bench${hex(i)}`, VpcId: vpcId, Associations: [{ Main: true }], Routes: [] });
      dataOf(s.facts.securityGroups).push({
        GroupId: `sg-0bench${hex(i)}`,
        GroupName: 'alb-sg',
        VpcId: vpcId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      });
      const lbArn = `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/sentiment-${i}/${hex(i)}`;
      const tgArn = `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/sentiment-${i}/${hex(i)}`;
      dataOf(s.facts.loadBalancers).push({ LoadBalancerArn: lbArn, LoadBalancerName: `sentiment-${i}`, Type: 'application', Scheme: 'internet-facing', VpcId: vpcId, CreatedTime: '2026-11-20T00:00:00.000Z' });
      dataOf(s.facts.targetGroups).push({ TargetGroupArn: tgArn, TargetGroupName: `sentiment-${i}`, Port: 8000, VpcId: vpcId, LoadBalancerArns: [lbArn] });
      s.facts.listeners[lbArn] = { ok: true, data: [{ Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }] };
    }
  });
}

const params = labParams();
const rows: { decoys: number; vpcs: number; loadBalancers: number; resolveMs: number; gradeMs: number; chosenVpc: string }[] = [];
for (const decoys of [0, 10, 100, 1000]) {
  const snapshot = withDecoys(decoys);
  let resolveMs = Infinity;
  let gradeMs = Infinity;
  let chosenVpc = '';
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    const lab = labOf(snapshot, { params });
    const resolved = performance.now();
    runChecks([...vpcChecks, ...elbChecks], lab, params);
    resolveMs = Math.min(resolveMs, resolved - started);
    gradeMs = Math.min(gradeMs, performance.now() - resolved);
    chosenVpc = lab.vpc?.VpcId ?? 'none';
  }
  rows.push({
    decoys,
    vpcs: dataOf(snapshot.facts.vpcs).length,
    loadBalancers: dataOf(snapshot.facts.loadBalancers).length,
    resolveMs: Number(resolveMs.toFixed(2)),
    gradeMs: Number(gradeMs.toFixed(2)),
    chosenVpc,
  });
}
console.log(`resolve + section 4 benchmark: best of ${RUNS} runs per account size (resolveMs covers every resolver stage)`);
console.table(rows);
