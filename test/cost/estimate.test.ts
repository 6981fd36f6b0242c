import { describe, expect, it } from 'vitest';
import { costNoticeLines, estimateRunningCost } from '../../src/cost/estimate.js';
import { completeLabWith, denied, example, labParams } from '../support/fixtures.js';

const prices = labParams().prices;

describe('estimateRunningCost', () => {
  it('prices the complete lab: 1 NAT gateway, 1 ALB, 1 task of 1 vCPU / 3 GB, 3 public IPv4 addresses', () => {
    const notice = estimateRunningCost(example('complete-lab'), prices);
    expect(notice.lines.map((line) => [line.item, line.count, line.hourly])).toEqual([
      ['natGateway', 1, 0.045],
      ['loadBalancer', 1, 0.0225],
      // 1 × 0.04048 + 3 × 0.004445
      ['fargateTask', 1, 0.053815],
      // the NAT gateway's Elastic IP + one per zone of the two-zone internet-facing ALB
      ['publicIpv4', 3, 0.015],
    ]);
    expect(notice.perHour).toBe(0.136315);
    expect(notice.perDay).toBe(3.27156);
    expect(notice.unknown).toEqual([]);
    expect(notice.asOf).toBe('2026-11-20T16:30:00.000Z');
    expect(notice.teardown.findIndex((step) => step.includes('NAT gateway'))).toBeLessThan(notice.teardown.findIndex((step) => step.includes('Delete the VPC')));
    expect(notice.lines[2]?.detail).toBe('1 running Fargate task: 1 vCPU × $0.04048/h + 3 GB × $0.004445/h (on-demand)');
  });

  it('counts an idle Elastic IP and ignores a deleted NAT gateway and an internal load balancer', () => {
    const snapshot = completeLabWith((s) => {
      if (!s.facts.natGateways.ok || !s.facts.addresses.ok || !s.facts.loadBalancers.ok) throw new Error('fixture');
      s.facts.natGateways.data[0]!.State = 'deleted';
      s.facts.addresses.data.push({ AllocationId: 'eipalloc-0idle', PublicIp: '198.51.100.7', Domain: 'vpc' });
      s.facts.loadBalancers.data[0]!.Scheme = 'internal';
    });
    const notice = estimateRunningCost(snapshot, prices);
    expect(notice.lines.map((line) => line.item)).toEqual(['loadBalancer', 'fargateTask', 'publicIpv4']);
    expect(notice.lines.find((line) => line.item === 'publicIpv4')?.count).toBe(2);
    // Exact, where summing the floats would give 0.08631499999999999.
    expect(notice.perHour).toBe(0.086315);
  });

  it('names what it could not read and falls back to the NAT gateway addresses for public IPv4', () => {
    const snapshot = completeLabWith((s) => {
      s.facts.addresses = denied('ec2:DescribeAddresses');
      const cluster = Object.keys(s.facts.tasks)[0]!;
      s.facts.tasks[cluster] = denied('ecs:DescribeTasks');
    });
    const notice = estimateRunningCost(snapshot, prices);
    expect(notice.unknown).toEqual([
      expect.stringMatching(/^tasks of arn:aws:ecs:.*cluster\/sentiment-app-cluster \(ecs:DescribeTasks: AccessDenied\)$/),
      'addresses (ec2:DescribeAddresses: AccessDenied)',
    ]);
    expect(notice.lines.find((line) => line.item === 'publicIpv4')?.detail).toMatch(/1 NAT gateway address \+ 2/);
    expect(notice.lines.some((line) => line.item === 'fargateTask')).toBe(false);
    expect(costNoticeLines(notice).at(-1)).toMatch(/^Not included \(could not be read\): tasks of .*; addresses/);
  });

  it('says when nothing billable is running', () => {
    const snapshot = completeLabWith((s) => {
      s.facts.natGateways = { ok: true, data: [] };
      s.facts.loadBalancers = { ok: true, data: [] };
      s.facts.addresses = { ok: true, data: [] };
      s.facts.tasks = {};
    });
    const notice = estimateRunningCost(snapshot, prices);
    expect(notice.perHour).toBe(0);
    expect(costNoticeLines(notice)).toEqual([
      'Nothing billable by the hour was seen running in eu-west-1 at 2026-11-20T16:30:00.000Z.',
    ]);
  });
});
