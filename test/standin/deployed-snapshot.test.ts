// What the grader really sees after the reference system's deploy: the snapshot the real
// collector read from an AWS stand-in (regenerate it with `npm run standin:fixture`), graded
// offline. Every step the deploy and the account setup build earns full points, except the
// states the stand-in cannot produce, each named in STANDIN_CHECK_GAPS.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checksById } from '../../checks/index.js';
import { grade } from '../../src/grade/engine.js';
import type { Scorecard } from '../../src/grade/scorecard.js';
import { loadRubric } from '../../src/rubric/load.js';
import { parseSnapshot } from '../../src/snapshot/load.js';
import { MANUAL_CHECKS, STANDIN_CHECK_GAPS, STANDIN_FACT_GAPS, checksOf, unexpectedFacts } from './standin.js';

const rubricFile = fileURLToPath(new URL('../../rubric.yaml', import.meta.url));
const fixture = readFileSync(new URL('./deployed.snapshot.json', import.meta.url), 'utf8');

function gradeFixture(mutate: (snapshot: ReturnType<typeof parseSnapshot>) => void = () => undefined): Scorecard {
  const snapshot = parseSnapshot(fixture, 'deployed.snapshot.json');
  mutate(snapshot);
  return grade({ rubric: loadRubric(rubricFile), rubricFile: 'rubric.yaml', snapshot, profile: 'own-account', checks: checksById });
}

describe('the snapshot the collector read after the deploy', () => {
  it('is a valid snapshot whose only unread facts are the stand-in gaps, as errors with their cause', () => {
    const snapshot = parseSnapshot(fixture, 'deployed.snapshot.json');
    expect(unexpectedFacts(snapshot)).toEqual([]);
    // The collector names the call and the cause of each gap (the stand-in's own gaps, not optional ones).
    const required = Object.entries(STANDIN_FACT_GAPS).filter(([, gap]) => !gap.optional);
    expect(required.map(([key]) => key).every((key) => key in snapshot.facts)).toBe(true);
  });

  it('holds the grader\'s probes of the running reference service: every endpoint answered', () => {
    const { probes } = parseSnapshot(fixture, 'deployed.snapshot.json');
    expect(probes.predictEndpoint).toMatchObject({ path: '/predict', textField: 'text' });
    expect(probes.results.map((result) => [result.id, result.status])).toEqual(
      expect.arrayContaining([['root', 200], ['health', 200], ['docs', 200], ['openapi', 200], ['predict.positive.1', 200], ['predict.negative.1', 200]]),
    );
  });

  it('earns full points on every step the deploy builds, the bonus too; only the stand-in gaps and the manual checks stay open', () => {
    const scorecard = gradeFixture();
    const checks = checksOf(scorecard);
    const open = checks.filter((check) => check.status !== 'pass' || check.points.earned !== check.points.max);
    // Without --submission, the student's test script is left to a person too.
    expect(open.map((check) => check.id).sort()).toEqual([...Object.keys(STANDIN_CHECK_GAPS), ...MANUAL_CHECKS, 'app.test-script'].sort());
    expect(open.filter((check) => check.status === 'manual').map((check) => check.id).sort()).toEqual(['app.test-script', ...MANUAL_CHECKS].sort());
    expect(scorecard.bonusPoints).toEqual({ earned: 1, max: 1 });
  });

  it('a mistake in it costs the step its points', () => {
    const before = gradeFixture().sections.flatMap((section) => section.steps).find((step) => step.id === '5.3')!;
    const after = gradeFixture((snapshot) => {
      const services = Object.values(snapshot.facts.services)[0];
      if (!services?.ok) throw new Error('the snapshot has no services fact');
      services.data[0]!.networkConfiguration!.awsvpcConfiguration!.assignPublicIp = 'ENABLED';
    })
      .sections.flatMap((section) => section.steps)
      .find((step) => step.id === '5.3')!;
    expect(before.points.earned).toBe(before.points.max);
    expect(after.checks.find((check) => check.id === 'ecs.service-network')?.status).not.toBe('pass');
    expect(after.points.earned).toBeLessThan(after.points.max);
  });
});
