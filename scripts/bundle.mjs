// Builds the published `lab-grader` bin: the CLI and everything it imports (the AWS SDK
// included) bundled by esbuild into ESM with source maps, so a start reads a few files instead
// of resolving and loading about a thousand modules. The entry file holds the command line;
// what only some commands use (the SDK, undici, the batch) is split into chunks loaded by the
// dynamic imports that need them, so a regrade never compiles the SDK. Beside the bin goes
// prepared.json: what is the same for every run of the release (the bundled rubric parsed and
// validated, the bundled examples' verification evidence; see src/cli/prepared.ts), so a run
// neither loads the YAML parser nor parses the examples.
//
//   node scripts/bundle.mjs [outdir]     default: dist/bin
/* global process, URL */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * The AWS SDK's schema modules (one per client, every operation's shapes) write trait keys as
 * computed properties of string constants (`{ [_xN]: "vpcSet" }`), which esbuild cannot prove
 * free of side effects, so it keeps every schema of a client (EC2: 550 KB) although the bin sends
 * a few of its operations. Written as the literal keys they are, the unused schemas are dropped.
 */
const sdkSchemaKeys = {
  name: 'sdk-schema-keys',
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ }, async ({ path }) => ({
      contents: literalSchemaKeys(await readFile(path, 'utf8')),
      loader: 'js',
    }));
  },
};

/** `{ [_xN]: 1 }` → `{ "xmlName": 1 }` for every `const _xN = "xmlName";` of the module; nothing else changes. */
export function literalSchemaKeys(source) {
  const constants = new Map();
  for (const [, name, value] of source.matchAll(/^const (_[A-Za-z0-9]+) = ("(?:[^"\\\n]|\\.)*");$/gm)) constants.set(name, value);
  return source.replace(/\[(_[A-Za-z0-9]+)\]:/g, (key, name) => (constants.has(name) ? `${constants.get(name)}:` : key));
}

/** What every build of lab-grader's sources for Node shares. */
const NODE_BUILD = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  // The SDK's ES module builds: imports esbuild can follow, without CommonJS wrappers.
  mainFields: ['module', 'main'],
  // Bundled CommonJS code (commander, undici) still calls require() for Node's own modules.
  banner: { js: "import { createRequire as __labGraderRequire } from 'node:module';\nconst require = __labGraderRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [sdkSchemaKeys],
};

/** The prepared state of the package at the repository root, computed by src/cli/prepared.ts itself. */
async function prepareState() {
  const work = mkdtempSync(join(tmpdir(), 'lab-grader-prepare-'));
  try {
    const script = join(work, 'prepare.mjs');
    await build({ ...NODE_BUILD, entryPoints: ['src/cli/prepared.ts'], outfile: script });
    const { prepareState: prepare } = await import(pathToFileURL(script).href);
    return await prepare(root);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Bundles the bin into `outdir` (emptied first: chunk names carry hashes) with its prepared state; returns esbuild's metafile. */
export async function bundle(outdir = 'dist/bin') {
  rmSync(resolve(root, outdir), { recursive: true, force: true });
  const result = await build({
    ...NODE_BUILD,
    // The grading thread is its own entry beside the bin, where the batch's pool looks for worker.js.
    entryPoints: { 'lab-grader': 'src/cli/main.ts', worker: 'src/batch/worker.ts' },
    outdir: resolve(root, outdir),
    splitting: true,
    chunkNames: '[name]-[hash]',
    // Less source to parse is a faster start. Identifiers keep the names they were written with,
    // for stack traces and error names: esbuild's keepNames would instead give every function
    // created at run time its name with a defineProperty call (about a sixth of a batch's CPU
    // for each student's grade), for a bundle a quarter smaller.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    metafile: true,
  });
  writeFileSync(resolve(root, outdir, 'prepared.json'), JSON.stringify(await prepareState()));
  return result.metafile;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundle(process.argv[2]);
}
