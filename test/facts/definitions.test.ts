// The one test that holds everything derived from the fact definitions to them: the registry
// and the folder, the names definitions refer to, the calls the mock account answers, the
// example snapshots, and an offline regrade that loads no AWS SDK client.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { READ_CALLS, readActions } from '../../src/collect/calls.js';
import { COLLECT_ITEMS, FACT_DEFINITIONS, SERVICES } from '../../src/facts/index.js';
import { FACT_CALLS, KEYED_FACTS, SLOW_FACTS } from '../../src/snapshot/facts.js';
import { factSchemas } from '../../src/snapshot/schema.js';
import type { FactKey } from '../../src/snapshot/types.js';
import { refreshFor } from '../../src/watch/loop.js';
import { example } from '../support/fixtures.js';
import { mockAccount, type MockedAccount } from '../collect/mock-account.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const NOT_SERVICES = new Set(['define.ts', 'index.ts', 'names.ts']);

let account: MockedAccount | undefined;
afterEach(() => {
  account?.restore();
  account = undefined;
});

describe('the fact definitions', () => {
  it('the registry lists every service module in src/facts/, and only those', () => {
    const files = readdirSync(`${root}src/facts`).filter((file) => file.endsWith('.ts') && !NOT_SERVICES.has(file));
    expect(Object.keys(SERVICES).map((name) => `${name}.ts`).sort()).toEqual(files.sort());
  });

  it('names are unique, and every name a definition refers to is defined', () => {
    const names = COLLECT_ITEMS.map((item) => item.key);
    expect(new Set(names).size).toBe(names.length);
    const defined = new Set(names);
    const facts = new Set(FACT_DEFINITIONS.map((definition) => definition.key));
    for (const item of COLLECT_ITEMS) {
      for (const name of item.after ?? []) expect(defined.has(name), `${item.key} after ${name}`).toBe(true);
      if (item.kind === 'lookup') {
        for (const name of item.serves) expect(facts.has(name), `${item.key} serves ${name}`).toBe(true);
        if (item.reuse) expect(facts.has(item.reuse.fact), `${item.key} reuses ${item.reuse.fact}`).toBe(true);
      }
      if (item.kind === 'derived') expect(defined.has(item.from), `${item.key} from ${item.from}`).toBe(true);
      expect(item.calls.length, `${item.key} has no call`).toBeGreaterThan(0);
    }
  });

  it('the schema, FACT_CALLS, KEYED_FACTS, the allow-list and watch\'s slow set come from the definitions', () => {
    const keys = FACT_DEFINITIONS.map((definition) => definition.key).sort();
    expect(Object.keys(factSchemas).sort()).toEqual(keys);
    expect(Object.keys(FACT_CALLS).sort()).toEqual(keys);
    expect([...KEYED_FACTS].sort()).toEqual(FACT_DEFINITIONS.filter((d) => d.kind === 'keyed').map((d) => d.key).sort());
    const actions = COLLECT_ITEMS.flatMap((item) => item.calls.map((call) => call.action));
    expect(readActions()).toEqual([...new Set(actions)].sort());
    expect(READ_CALLS.size).toBe(new Set(COLLECT_ITEMS.flatMap((item) => item.calls.map((call) => `${call.client}:${call.command}`))).size);
    // Watch's slow set is the definitions' `slow` flags: at least the four it has always held.
    expect([...SLOW_FACTS]).toEqual(FACT_DEFINITIONS.filter((d) => d.slow).map((d) => d.key));
    expect([...SLOW_FACTS]).toEqual(expect.arrayContaining(['budgetNotifications', 'budgets', 'ecrLoginEvents', 'userEvents']));
    for (const definition of FACT_DEFINITIONS) {
      expect(refreshFor(3)(definition.key as FactKey), definition.key).toBe(!definition.slow);
      expect(refreshFor(5)(definition.key as FactKey), definition.key).toBe(true);
    }
  });

  it('the mock account answers every call a definition makes', () => {
    account = mockAccount(example('complete-lab'));
    const unanswered = [...READ_CALLS.keys()].filter((command) => !account!.answered.has(command)).map((command) => command.name);
    expect(unanswered).toEqual([]);
  });

  it('both example snapshots hold every defined fact', () => {
    for (const name of ['complete-lab', 'mistakes']) {
      const facts = JSON.parse(readFileSync(`${root}examples/${name}.snapshot.json`, 'utf8')) as { facts: Record<string, unknown> };
      expect(Object.keys(facts.facts).sort(), name).toEqual(FACT_DEFINITIONS.map((d) => d.key).sort());
    }
  });
});

/** The modules a file loads when it is imported: static, non-type imports, followed through src/ and checks/. */
function runtimeImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, specifier] of source.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+'([^']+)'/gms)) {
      if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')));
      else packages.add(specifier!);
    }
  };
  visit(entry);
  return packages;
}

describe('layers', () => {
  it('an offline regrade (the grade command with --snapshot) loads no AWS SDK client', () => {
    const packages = runtimeImports(`${root}src/cli/commands/grade.ts`);
    expect(packages.has('zod')).toBe(true);
    expect([...packages].filter((name) => name.startsWith('@aws-sdk/'))).toEqual([]);
  });

  it('the live path does load them, through the collector', () => {
    expect([...runtimeImports(`${root}src/live/index.ts`)].filter((name) => name.startsWith('@aws-sdk/client-')).length).toBeGreaterThan(10);
  });
});
