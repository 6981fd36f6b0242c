// The rubric commands in-process (their output is all on stdout), on the shipped rubric.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rubricLintCommand, rubricShowCommand } from '../../src/cli/commands/rubric.js';
import { labRubric } from '../support/fixtures.js';
import { usageMessage } from '../rubric/support.js';

function stdoutOf(run: () => Promise<number>): Promise<{ code: number; text: string }> {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return run().then((code) => ({ code, text: chunks.join('') }));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('rubric commands', () => {
  it('lint passes on the shipped rubric and says what it holds', async () => {
    const { code, text } = await stdoutOf(() => rubricLintCommand({}));
    expect(code).toBe(0);
    // Distinct check ids the steps use, so a check that grades two steps counts once.
    const ids = new Set([...labRubric.sections.flatMap((section) => section.steps), ...labRubric.bonus].flatMap((step) => step.checks.map((entry) => entry.check)));
    expect(ids.size).toBeGreaterThanOrEqual(39);
    expect(text).toBe(`rubric.yaml: ok: 26 steps worth 10 points, bonus 1, ${ids.size} checks, profiles: own-account, academy\n`);
  });

  it('show with the academy profile marks its not-applicable steps and the reduced maximum', async () => {
    const { code, text } = await stdoutOf(() => rubricShowCommand({ labProfile: 'academy' }));
    expect(code).toBe(0);
    expect(text).toMatch(/\n1 +Account setup & IAM configuration +0\.25\n/);
    expect(text).toMatch(/\n {2}1\.1 +Enable MFA for the root account +0\.25 \(n\/a\) +iam\.root-mfa 0\.25\n/);
    expect(text).toContain('Total: 9.25 points + bonus 1.00 (not applicable with academy: 1.1, 1.2, 1.4; maximum: reduce)');
  });

  it('show with an unknown profile is a usage error', async () => {
    const message = await rubricShowCommand({ labProfile: 'learner-lab' }).then(
      () => 'resolved',
      (error: unknown) => usageMessage(() => {
        throw error;
      }),
    );
    expect(message).toContain('"learner-lab" is not a lab profile of rubric.yaml (its profiles: own-account, academy)');
  });
});
