// Check titles name the values the params set (ports, the health check path, the encryption):
// a grade under `--param network.appPort=8080` says 8080 where it said 8000.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checksById } from '../../checks/index.js';
import { checkTitle } from '../../src/check/define.js';
import type { Scorecard } from '../../src/grade/scorecard.js';
import { cli, root } from '../support/cli.js';
import { labParams } from '../support/fixtures.js';

/** Every param a title may name, set away from the rubric's values. */
const OTHER = { 'network.appPort': 8080, 'network.albPort': 8081, 'loadBalancer.healthCheckPath': '/ready', 'repository.encryption': 'KMS' };

const titles = (params = labParams()) => new Map([...checksById.values()].map((check) => [check.id, checkTitle(check, params)]));

describe('check titles', () => {
  it("say the rubric's values by default", () => {
    const shown = titles();
    expect(shown.get('elb.target-group')).toBe('A target group of IP targets, HTTP on port 8000, health check /health, in the lab VPC');
    expect(shown.get('elb.listener')).toBe('An HTTP:80 listener forwarding to the target group');
    expect(shown.get('vpc.security-groups')).toBe('ALB group open on port 80 to the world; app group open on port 8000 to the ALB group only');
    expect(shown.get('ecr.aes256-encryption')).toBe('The repository is encrypted with AES-256');
  });

  it('say the values in force, and none of the defaults, when the params change', () => {
    const shown = titles(labParams(OTHER));
    expect(shown.get('elb.target-group')).toBe('A target group of IP targets, HTTP on port 8080, health check /ready, in the lab VPC');
    expect(shown.get('elb.listener')).toBe('An HTTP:8081 listener forwarding to the target group');
    expect(shown.get('vpc.security-groups')).toBe('ALB group open on port 8081 to the world; app group open on port 8080 to the ALB group only');
    expect(shown.get('ecr.aes256-encryption')).toBe('The repository is encrypted with KMS');
    for (const [id, title] of shown) expect(title, id).not.toMatch(/\b8000\b|:80\b|port 80\b|\/health\b|AES-256/);
  });
});

describe('grade --param network.appPort=8080', () => {
  const work = mkdtempSync(join(tmpdir(), 'lab-grader-titles-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("shows 8080 in the target-group step's title, in the scorecard as graded", async () => {
    const run = await cli(['grade', '--snapshot', join(root, 'examples/complete-lab.snapshot.json'), '--param', 'network.appPort=8080', '--format', 'json', '--out', work, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const scorecard = JSON.parse(readFileSync(join(work, 'scorecard.json'), 'utf8')) as Scorecard;
    const step = scorecard.sections.flatMap((section) => section.steps).find((candidate) => candidate.checks.some((check) => check.id === 'elb.target-group'))!;
    const check = step.checks.find((candidate) => candidate.id === 'elb.target-group')!;
    expect(check.title).toBe('A target group of IP targets, HTTP on port 8080, health check /health, in the lab VPC');
    // The complete lab's target group is on 8000: under 8080 it misses, and says why in the same numbers.
    expect(check.status).toBe('partial');
    expect(check.hint).toContain('the app listens on 8080');
  });
});
