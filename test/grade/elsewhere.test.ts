// A student who built the lab in us-east-1 and grades eu-west-1: the snapshot keeps what the
// search of the other regions found, and the grade says so first and last, turns the regional
// steps' build instructions into where the lab is, and counts what bills in us-east-1.
import { describe, expect, it } from 'vitest';
import { checksById } from '../../checks/index.js';
import { grade } from '../../src/grade/engine.js';
import type { CheckResult, Scorecard } from '../../src/grade/scorecard.js';
import { renderReport } from '../../src/report/index.js';
import { BILLABLE_FACTS, type BillableFacts } from '../../src/snapshot/region-search.js';
import { parseSnapshot } from '../../src/snapshot/load.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { completeLabWith, dataOf, example, labRubric } from '../support/fixtures.js';

const LAB_VPC = 'vpc-0a1b2c3d4e5f60718';

/** eu-west-1 with none of the lab (its default VPC only), and the lab found in us-east-1 with what bills there. */
function builtInUsEast1(mutate: (snapshot: Snapshot) => void = () => undefined): Snapshot {
  const lab = example('complete-lab');
  return completeLabWith((s) => {
    s.facts.vpcs = { ok: true, data: dataOf(s.facts.vpcs).filter((vpc) => vpc.IsDefault === true) };
    s.facts.loadBalancers = { ok: true, data: [] };
    s.facts.clusters = { ok: true, data: [] };
    s.facts.natGateways = { ok: true, data: [] };
    s.facts.addresses = { ok: true, data: [] };
    s.facts.tasks = {};
    s.regionSearch = {
      searched: ['ap-south-1', 'us-east-1'],
      found: [{ region: 'us-east-1', vpcIds: [LAB_VPC] }],
      unreadable: [],
      billable: [{ region: 'us-east-1', facts: Object.fromEntries(BILLABLE_FACTS.map((key) => [key, lab.facts[key]])) as BillableFacts }],
    };
    mutate(s);
  });
}

const graded = (snapshot: Snapshot): Scorecard => grade({ rubric: labRubric, rubricFile: 'rubric.yaml', snapshot, checks: checksById });
const checksOf = (scorecard: Scorecard): CheckResult[] => [...scorecard.sections.flatMap((section) => section.steps), ...scorecard.bonus].flatMap((step) => step.checks);

describe('a graded region without the lab, which is in another', () => {
  it('is named on the scorecard, and the console report opens and closes with it', () => {
    const scorecard = graded(builtInUsEast1());
    expect(scorecard.labElsewhere).toEqual({ graded: 'eu-west-1', region: 'us-east-1', vpcIds: [LAB_VPC] });
    const lines = renderReport(scorecard, 'console', {}).trimEnd().split('\n');
    expect(lines[0]).toBe('Region eu-west-1 holds none of the lab: it appears to be in us-east-1.');
    expect(lines.slice(-2)).toEqual(['Region eu-west-1 holds none of the lab: it appears to be in us-east-1.', 'Grade it with --region us-east-1.']);
    for (const format of ['markdown', 'html', 'junit', 'gradescope'] as const) {
      expect(renderReport(scorecard, format, {}), format).toContain('Region eu-west-1 holds none of the lab: it appears to be in us-east-1.');
    }
    // GitHub Classroom's payload says it in the grade test, beside the grade.
    const classroom = JSON.parse(Buffer.from(renderReport(scorecard, 'classroom', {}), 'base64').toString('utf8')) as { tests: { test_code: string }[] };
    expect(classroom.tests.at(-1)!.test_code.split('\n')[0]).toBe('Region eu-west-1 holds none of the lab: it appears to be in us-east-1. Grade it with --region us-east-1.');
  });

  it("gives the regional steps where the lab is instead of build instructions; the account's own steps keep theirs", () => {
    const scorecard = graded(builtInUsEast1((s) => (s.facts.groups = { ok: true, data: [] })));
    const missed = checksOf(scorecard).filter((check) => check.status === 'fail' || check.status === 'partial');
    const regional = missed.filter((check) => !check.id.startsWith('iam.'));
    expect(regional.length).toBeGreaterThan(10);
    for (const check of regional) expect(check.hint, check.id).toBe('Not in eu-west-1 (the lab is in us-east-1).');
    expect(missed.map((check) => check.hint ?? '').filter((hint) => /\bCreate\b/.test(hint) && !/admin/i.test(hint))).toEqual([]);
    // IAM is the account's, in every region: a missing group is still the student's to create.
    expect(missed.find((check) => check.id === 'iam.admin-group')?.hint).toMatch(/Create/);
  });

  it("counts what bills in us-east-1 in the cost notice, beside eu-west-1's nothing", () => {
    const { cost } = graded(builtInUsEast1());
    expect(cost?.lines).toEqual([]);
    expect(cost?.otherRegions?.map((region) => region.region)).toEqual(['us-east-1']);
    const items = cost!.otherRegions![0]!.lines.map((line) => line.item);
    expect(items).toEqual(expect.arrayContaining(['natGateway', 'loadBalancer', 'publicIpv4']));
    expect(cost!.perHour).toBe(cost!.otherRegions![0]!.perHour);
    const text = renderReport(graded(builtInUsEast1()), 'console', {});
    expect(text).not.toContain('Nothing billable by the hour');
    expect(text).toMatch(/^- us-east-1: 1 NAT gateway available/m);
    expect(text).toMatch(/^- us-east-1: 1 load balancer active/m);
  });

  it('is no such case when the search found the lab nowhere, or the graded region holds it', () => {
    expect(graded(builtInUsEast1((s) => (s.regionSearch = { searched: ['us-east-1'], found: [], unreadable: [], billable: [] }))).labElsewhere).toBeUndefined();
    const holding = completeLabWith((s) => (s.regionSearch = builtInUsEast1().regionSearch!));
    expect(graded(holding).labElsewhere).toBeUndefined();
  });

  it('survives a saved snapshot: loaded again it grades the same, and a region name that is not one is refused by field', () => {
    const snapshot = builtInUsEast1();
    const text = JSON.stringify(snapshot);
    expect(JSON.stringify(graded(parseSnapshot(text, 'elsewhere.json')))).toBe(JSON.stringify(graded(snapshot)));
    const forged = text.replace('"region":"us-east-1","vpcIds"', '"region":"us-east-1\\n**10.00 / 10.00**","vpcIds"');
    expect(() => parseSnapshot(forged, 'forged.json')).toThrow(/regionSearch\.found\[0\]\.region/);
  });
});
