// The check registry, the checks/ folders and rubric.yaml agree: a check can't be written
// and forgotten, and the rubric can't name a check that doesn't exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allChecks, checksById } from '../checks/index.js';
import type { CheckDefinition } from '../src/check/define.js';
import { loadRubric } from '../src/rubric/load.js';

/**
 * Rubric check ids not registered yet because their checks are still being written. The
 * integrator empties this list; until then it must name exactly the missing ids.
 */
const pendingChecks: readonly string[] = [];

const checksDir = fileURLToPath(new URL('../checks/', import.meta.url));
const services = readdirSync(checksDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** Every check file: checks/<service>/<name>.ts, not the index and not tests. */
const checkFiles = services.flatMap((service) =>
  readdirSync(`${checksDir}${service}`)
    .filter((file) => file.endsWith('.ts') && file !== 'index.ts' && !file.endsWith('.test.ts'))
    .map((file) => ({ service, name: file.slice(0, -'.ts'.length), path: `${checksDir}${service}/${file}` })),
);

const rubric = loadRubric(fileURLToPath(new URL('../rubric.yaml', import.meta.url)), 'rubric.yaml');
const rubricIds = new Set(
  [...rubric.sections.flatMap((section) => section.steps), ...rubric.bonus].flatMap((step) => step.checks.map((check) => check.check)),
);

async function serviceIndex(service: string): Promise<CheckDefinition[]> {
  const module = (await import(pathToFileURL(`${checksDir}${service}/index.ts`).href)) as Record<string, unknown>;
  const lists = Object.values(module).filter((value): value is CheckDefinition[] => Array.isArray(value));
  expect(lists, `checks/${service}/index.ts exports one list of checks`).toHaveLength(1);
  return lists[0]!;
}

describe('check registry', () => {
  it.each(checkFiles.map((file) => [`${file.service}/${file.name}`, file] as const))(
    'checks/%s.ts exports its check by default, with the id <service>.<name>, listed in its service index and checks/index.ts',
    async (_label, file) => {
      const id = `${file.service}.${file.name}`;
      const module = (await import(pathToFileURL(file.path).href)) as { default?: CheckDefinition };
      expect(module.default?.id, `checks/${file.service}/${file.name}.ts: export default defineCheck({ id: '${id}', ... })`).toBe(id);
      if (pendingChecks.includes(id)) return;
      expect(await serviceIndex(file.service), `add ${id} to checks/${file.service}/index.ts`).toContain(module.default);
      expect(allChecks, `checks/index.ts spreads the ${file.service} checks`).toContain(module.default);
    },
  );

  it('has one file per registered check and no duplicate ids', () => {
    const fileIds = checkFiles.map((file) => `${file.service}.${file.name}`).sort();
    expect(allChecks.map((check) => check.id).sort()).toEqual(fileIds.filter((id) => checksById.has(id)));
    expect(checksById.size).toBe(allChecks.length);
  });

  it('every check id in rubric.yaml is registered, except exactly the pending ones', () => {
    const missing = [...rubricIds].filter((id) => !checksById.has(id)).sort();
    expect(missing).toEqual([...pendingChecks].sort());
  });

  it('every registered check is used by a rubric step', () => {
    expect([...checksById.keys()].filter((id) => !rubricIds.has(id))).toEqual([]);
  });
});

describe('checks know no rubric', () => {
  const stepIds = [...rubric.sections.flatMap((section) => section.steps), ...rubric.bonus].map((step) => step.id).filter((id) => /^\d/.test(id));
  // A step id as a token of its own (`4.2`, `(3.1`, `1.2-1.4`), not part of a CIDR, a version or a longer number.
  const stepNumber = new RegExp(`(?<![\\w.])(?:${stepIds.map((id) => id.replace('.', '\\.')).join('|')})(?![\\w.])|\\bsteps?\\s+\\d`, 'i');
  // The checks and the check API they build their verdicts and hints with (src/check/).
  const checkApiDir = fileURLToPath(new URL('../src/check/', import.meta.url));
  const sources = [
    { name: 'checks/index.ts', path: `${checksDir}index.ts` },
    ...services.flatMap((service) =>
      readdirSync(`${checksDir}${service}`)
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
        .map((file) => ({ name: `checks/${service}/${file}`, path: `${checksDir}${service}/${file}` })),
    ),
    ...readdirSync(checkApiDir)
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => ({ name: `src/check/${file}`, path: `${checkApiDir}${file}` })),
  ];

  it('finds the rubric\'s step ids to look for', () => {
    expect(stepIds).toContain('4.2');
    expect(stepNumber.test('create them in step 4.2')).toBe(true);
    expect(stepNumber.test('the lab (1.2 step 6)')).toBe(true);
    expect(stepNumber.test('10.0.1.0/24 on port 8000, fraction 0.25')).toBe(false);
  });

  it.each(sources.map((source) => [source.name, source.path] as const))('%s mentions no step number', (_name, path) => {
    const lines = readFileSync(path, 'utf8').split('\n');
    const mentions = lines.flatMap((line, index) => (stepNumber.test(line) ? [`line ${index + 1}: ${line.trim()}`] : []));
    expect(mentions, 'a hint names the resource and the fix; the step and the lab\'s words come from rubric.yaml').toEqual([]);
  });

  it.each(sources.map((source) => [source.name, source.path] as const))('%s reads no rubric profile name', (_name, path) => {
    const text = readFileSync(path, 'utf8');
    const profiles = rubric.profiles.map((profile) => profile.name);
    expect(text, 'profile-dependent behaviour comes in through params the profile sets').not.toMatch(/\.profile\b/);
    for (const name of profiles) expect(text).not.toContain(`'${name}'`);
  });

  it.each(services)('checks/%s has its table of cases beside it, in checks/%s/%s.test.ts', (service) => {
    expect(existsSync(`${checksDir}${service}/${service}.test.ts`)).toBe(true);
  });
});
