// Loaded with `node --import tsx --import ./counting-hooks.mjs`: counts every call of the
// resolver (resolveLab) and of the params derivation (paramsFor) in globalThis.labGraderCounts,
// by wrapping each function inside its own module, so every caller is counted.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const COUNTED = [
  ['/src/resolve/index.ts', 'resolveLab'],
  ['/src/rubric/profile.ts', 'paramsFor'],
];

if (isMainThread) register(import.meta.url);

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  const counted = COUNTED.find(([path]) => url.endsWith(path));
  if (!counted || loaded.source === undefined) return loaded;
  const [, name] = counted;
  // A function declaration is a mutable binding: the module's export follows the reassignment.
  const wrap =
    `\n;globalThis.labGraderCounts ??= {};` +
    `{ const original = ${name}; globalThis.labGraderCounts.${name} = 0;` +
    ` ${name} = (...args) => { globalThis.labGraderCounts.${name} += 1; return original(...args); }; }\n`;
  return { ...loaded, source: `${String(loaded.source)}${wrap}` };
}
