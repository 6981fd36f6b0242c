import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRubric, parseRubric } from '../../src/rubric/load.js';
import { lineOf, RUBRIC_PATH, rubricText, rubricWith, usageMessage } from './support.js';

describe('loadRubric on the shipped rubric.yaml', () => {
  const rubric = loadRubric(RUBRIC_PATH, 'rubric.yaml');

  it('has the lab’s 26 steps (1.1-1.4, 2.1-2.3, 3.1-3.4, 4.1-4.7, 5.1-5.5, 6.1-6.3) in six sections and the bonus step', () => {
    expect(rubric.sections.map((section) => section.id)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(rubric.sections.flatMap((section) => section.steps)).toHaveLength(26);
    expect(rubric.bonus.map((step) => step.id)).toEqual(['bonus']);
  });

  it('holds points as exact hundredths and remembers where each step was written', () => {
    const step = rubric.sections[1]!.steps[2]!;
    expect(step).toMatchObject({ id: '2.3', points: 100 });
    expect(step.checks.map((check) => [check.check, check.points])).toEqual([
      ['s3.model-files', 25],
      ['app.predicts-sentiment', 25],
      ['s3.workflow-review', 50],
    ]);
    expect(step.at).toEqual({ file: 'rubric.yaml', line: lineOf(rubricText, 'id: "2.3"'), column: 13 });
  });

  it('reads the profiles, with exactly one default', () => {
    expect(rubric.profiles.map((profile) => [profile.name, profile.default, profile.maximum])).toEqual([
      ['own-account', true, 'keep'],
      ['academy', false, 'reduce'],
    ]);
    expect(rubric.profiles[1]).toMatchObject({ notApplicable: ['1.1', '1.2', '1.4'], params: { 'ecs.requiredRoleName': 'LabRole' } });
  });

  it('hashes the file bytes', () => {
    expect(rubric.sha256).toBe(createHash('sha256').update(readFileSync(RUBRIC_PATH)).digest('hex'));
    expect(parseRubric(`${rubricText}\n`, 'rubric.yaml').sha256).not.toBe(rubric.sha256);
  });

  it('names a missing file and the flag to fix', () => {
    expect(usageMessage(() => loadRubric('no-such-rubric.yaml'))).toMatch(/cannot read the rubric no-such-rubric\.yaml \(ENOENT\).*--rubric/);
  });
});

describe('parseRubric errors name file:line:column, the key and what to do', () => {
  it('bad YAML', () => {
    const text = rubricWith('lab: Introduction', 'lab: [Introduction');
    expect(usageMessage(() => parseRubric(text, 'bad.yaml'))).toMatch(/^bad\.yaml is not valid YAML[\s\S]*\nbad\.yaml:\d+:\d+: invalid YAML: /);
  });

  it('a duplicate key', () => {
    const text = rubricWith('version: 1\n', 'version: 1\nversion: 1\n');
    expect(usageMessage(() => parseRubric(text, 'bad.yaml'))).toContain(`bad.yaml:${lineOf(text, 'version: 1\nversion') + 1}:1: invalid YAML: Map keys must be unique`);
  });

  it('an unknown key, at the key itself', () => {
    const text = rubricWith('        title: Enable MFA for the root account\n', '        title: Enable MFA for the root account\n        tittle: typo\n');
    expect(usageMessage(() => parseRubric(text, 'bad.yaml'))).toContain(
      `bad.yaml:${lineOf(text, 'tittle')}:9: sections[0].steps[0].tittle: unknown key "tittle": remove it or fix its spelling`,
    );
  });

  it('points with more than two decimals', () => {
    const text = rubricWith('{ check: iam.root-mfa, points: 0.25 }', '{ check: iam.root-mfa, points: 0.125 }');
    expect(usageMessage(() => parseRubric(text, 'bad.yaml'))).toContain(
      `bad.yaml:${lineOf(text, '0.125')}:44: sections[0].steps[0].checks[0].points: points must be a non-negative number with at most two decimals`,
    );
  });

  it('a step id written as a number', () => {
    const text = rubricWith('- id: "4.2"', '- id: 4.2');
    expect(usageMessage(() => parseRubric(text, 'bad.yaml'))).toContain(`bad.yaml:${lineOf(text, 'id: 4.2')}:13: sections[3].steps[1].id: ids are text: quote them, such as "4.2"`);
  });

  it('a missing key, at its parent', () => {
    const text = rubricWith('        title: Create a new VPC\n', '');
    expect(usageMessage(() => parseRubric(text, 'bad.yaml'))).toContain(`sections[3].steps[0].title: missing: add it`);
  });

  it('no default profile', () => {
    const text = rubricWith('    default: true\n', '');
    expect(usageMessage(() => parseRubric(text, 'bad.yaml'))).toContain(
      `bad.yaml:${lineOf(text, 'profiles:') + 1}:3: profiles: exactly one profile must say "default: true"; none is`,
    );
  });

  it('two default profiles, at the second', () => {
    const text = rubricWith('    maximum: reduce\n', '    maximum: reduce\n    default: true\n');
    expect(usageMessage(() => parseRubric(text, 'bad.yaml'))).toContain(
      `bad.yaml:${lineOf(text, '  academy:')}:3: profiles: exactly one profile must say "default: true"; own-account, academy are`,
    );
  });

  it('a profile marking an unknown step not applicable', () => {
    const text = rubricWith('notApplicable: ["1.1", "1.2", "1.4"]', 'notApplicable: ["1.1", "1.2", "7.4"]');
    expect(usageMessage(() => parseRubric(text, 'bad.yaml'))).toContain(`profiles.academy.notApplicable: no step "7.4" in this rubric`);
  });

  it('a profile overriding a param that does not exist, or with the wrong type', () => {
    const unknown = rubricWith('      ecs.requiredRoleName: LabRole', '      ecs.requiredRole: LabRole');
    expect(usageMessage(() => parseRubric(unknown, 'bad.yaml'))).toContain(
      `bad.yaml:${lineOf(unknown, 'ecs.requiredRole:')}:7: profiles.academy.params.ecs.requiredRole: no such param; the params are: iam.adminGroup,`,
    );
    const wrongType = rubricWith('      ecs.requiredRoleName: LabRole', '      ecs.cpu: lots');
    expect(usageMessage(() => parseRubric(wrongType, 'bad.yaml'))).toContain('profiles.academy.params.ecs.cpu: expected number');
  });

  it('a wrong params value, by its key path', () => {
    const text = rubricWith('vpcCidr: 10.0.0.0/16', 'vpcCidr: ten');
    expect(usageMessage(() => parseRubric(text, 'bad.yaml'))).toContain(`bad.yaml:${lineOf(text, 'vpcCidr')}:14: params.network.vpcCidr: an IPv4 CIDR such as 10.0.0.0/16`);
  });
});
