// The check registry, the checks/ folders and rubric.yaml agree: a check can't be written
// and forgotten, and the rubric can't name a check that doesn't exist.
import { readdirSync } from 'node:fs';
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
