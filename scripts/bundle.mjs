// Builds the published `lab-grader` bin: the CLI and everything it imports (the AWS SDK
// included) bundled by esbuild into ESM with source maps, so a start reads a few files instead
// of resolving and loading about a thousand modules. The entry file holds the command line;
// what only some commands use (the SDK, undici, the batch) is split into chunks loaded by the
// dynamic imports that need them, so a regrade never compiles the SDK. Beside the bin goes
// prepared.json: what is the same for every run of the release (the bundled rubric parsed and
// validated, the bundled examples' verification evidence; see src/cli/prepared.ts), so a run
// neither loads the YAML parser nor parses the examples. The bundle goes to dist/bin/esm/; the
// bin, dist/bin/lab-grader.js, is the start (src/cli/start.ts, CommonJS), which runs the
// bundle's chunks from start/, written again as functions because Node 20 gives V8's code cache
// to a vm.Script only: the chunks a regrade of the complete example runs go into one script,
// hot.js, with the code cache that regrade left (hot.cache, and in hot.json the SHA-256 of hot.js
// and the Node that made it). A grading thread of the batch starts from
// dist/bin/grading-thread.js (src/cli/grading-thread.ts), which runs the thread's code bundled
// apart as one script, start/thread.js, with the code cache a grading thread left when it had
// graded the bundled examples under the batch's compiler settings (thread.cache, thread.json).
//
//   node scripts/bundle.mjs [outdir]     default: dist/bin
/* global process, URL */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script, constants } from 'node:vm';
import { Worker, parentPort } from 'node:worker_threads';
import { build, transform } from 'esbuild';

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

/**
 * commander requires `node:child_process` when it loads, for the one thing it spawns: a
 * subcommand kept in an executable file of its own, which lab-grader has none of. Loading it
 * (and `net`, `dgram` and the rest it loads) cost every start of the bin about 20 ms of CPU, a
 * tenth of a regrade's. Required where commander spawns instead, it is never loaded.
 */
const commanderSpawnsLazily = {
  name: 'commander-spawns-lazily',
  setup(build) {
    build.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async ({ path }) => ({
      contents: lazyChildProcess(await readFile(path, 'utf8')),
      loader: 'js',
    }));
  },
};

const EAGER_CHILD_PROCESS = "const childProcess = require('node:child_process');";

/** commander's command.js with `childProcess.spawn` requiring `node:child_process` when it is called; the build fails if commander no longer reads as expected. */
export function lazyChildProcess(source) {
  const uses = [...source.matchAll(/\bchildProcess\.(\w+)/g)].map(([, member]) => member);
  if (!source.includes(EAGER_CHILD_PROCESS) || uses.some((member) => member !== 'spawn')) {
    throw new Error("commander's lib/command.js no longer requires node:child_process as the build expects: look at commanderSpawnsLazily in scripts/bundle.mjs");
  }
  return source.replace(EAGER_CHILD_PROCESS, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };");
}

/** `{ [_xN]: 1 }` → `{ "xmlName": 1 }` for every `const _xN = "xmlName";` of the module; nothing else changes. */
export function literalSchemaKeys(source) {
  const constants = new Map();
  for (const [, name, value] of source.matchAll(/^const (_[A-Za-z0-9]+) = ("(?:[^"\\\n]|\\.)*");$/gm)) constants.set(name, value);
  return source.replace(/\[(_[A-Za-z0-9]+)\]:/g, (key, name) => (constants.has(name) ? `${constants.get(name)}:` : key));
}

const BANNER = "import { createRequire as __labGraderRequire } from 'node:module';\nconst require = __labGraderRequire(import.meta.url);";

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
  banner: { js: BANNER },
  logLevel: 'warning',
  plugins: [sdkSchemaKeys, commanderSpawnsLazily],
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

/**
 * Bundles the bin into `outdir` (emptied first: chunk names carry hashes): the bundle in esm/
 * with its prepared state, the start (lab-grader.js, CommonJS) and start/; returns esbuild's
 * metafile of the bundle.
 */
export async function bundle(outdir = 'dist/bin') {
  const bin = resolve(root, outdir);
  const esm = join(bin, 'esm');
  rmSync(bin, { recursive: true, force: true });
  const result = await build({
    ...NODE_BUILD,
    // The command line, and the grading thread as its own entry, where the batch's pool looks for worker.js.
    entryPoints: { cli: 'src/cli/main.ts', worker: 'src/batch/worker.ts' },
    outdir: esm,
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
  // The bundle is ES modules, the start beside it CommonJS.
  writeFileSync(join(esm, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(bin, 'package.json'), '{ "type": "commonjs" }\n');
  writeFileSync(join(esm, 'prepared.json'), JSON.stringify(await prepareState()));
  const starts = { 'lab-grader': 'src/cli/start.ts', 'grading-thread': 'src/cli/grading-thread.ts' };
  await build({ ...NODE_BUILD, format: 'cjs', banner: {}, entryPoints: starts, outdir: bin, minifyWhitespace: true, minifySyntax: true, legalComments: 'none' });
  mkdirSync(join(bin, 'start'));
  // Each trains its code cache in a process of its own: side by side.
  const [, thread] = await Promise.all([writeStart(bin, result.metafile), writeThread(bin)]);
  // The thread's script last, so a look for the chunk that holds a source finds the bundle's first.
  return { inputs: { ...result.metafile.inputs, ...thread.inputs }, outputs: { ...result.metafile.outputs, ...thread.outputs } };
}

/** The chunk `code` (esbuild's ES module) as the function src/cli/start.ts runs: imports and exports as CommonJS, import.meta as `meta`. */
async function chunkFunction(code) {
  const body = code
    .replace(/^#!.*\n/, '')
    .replace(`${BANNER}\n`, '')
    .replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  const converted = await transform(body, {
    loader: 'js',
    format: 'cjs',
    platform: 'node',
    target: 'node20.19',
    // import() of another chunk becomes require(), which start.ts answers from start/.
    supported: { 'dynamic-import': false },
    define: { 'import.meta': 'meta' },
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return `function(require,module,exports,meta){"use strict";${converted.code}\n}`;
}

/** Writes `outdir`/start/: every chunk as CommonJS, then hot.js and its code cache from a regrade of the complete example. */
async function writeStart(outdir, metafile) {
  const start = join(outdir, 'start');
  const chunks = new Map();
  for (const output of Object.keys(metafile.outputs)) {
    const name = basename(output);
    if (name.endsWith('.js')) chunks.set(name, await chunkFunction(readFileSync(join(outdir, 'esm', name), 'utf8')));
  }
  for (const [name, factory] of chunks) writeFileSync(join(start, name.replace(/\.js$/, '.cjs')), `module.exports=${factory};\n`);
  const hot = [...new Set(await regradeOnce(outdir))].filter((name) => chunks.has(name));
  const source = `({${hot.map((name) => `${JSON.stringify(name)}:${chunks.get(name)}`).join(',\n')}})`;
  writeFileSync(join(start, 'hot.js'), source);
  await regradeOnce(outdir);
  writeCacheMade(start, 'hot', source);
}

/**
 * Writes `start`/NAME.json: the SHA-256 of the script its code cache was made from and the Node
 * that made it, which src/cli/cached-script.ts checks before V8 is given the cache.
 */
function writeCacheMade(start, name, source) {
  writeFileSync(join(start, `${name}.json`), JSON.stringify({ sha256: createHash('sha256').update(source).digest('hex'), node: process.version }));
}

/** Runs this script with `step`, `outdir` and a fresh folder in a process of its own, which `then` reads before the folder goes. */
async function trainIn(step, outdir, what, then = () => undefined) {
  const work = mkdtempSync(join(tmpdir(), 'lab-grader-train-'));
  try {
    await new Promise((resolve, reject) => {
      execFile(process.execPath, [fileURLToPath(import.meta.url), step, outdir, work], (error, _stdout, stderr) => {
        if (error) reject(new Error(`${what} exited ${error.code}: ${stderr}`));
        else resolve();
      });
    });
    return then(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Regrades the complete example with start/ in a process of its own (see trainStart); returns the chunks it ran. */
function regradeOnce(outdir) {
  return trainIn('--train-start', outdir, "the regrade that makes the start's code cache", (work) => JSON.parse(readFileSync(join(work, 'ran.json'), 'utf8')));
}

/**
 * Writes `outdir`/start/thread.js, a grading thread's code (src/batch/worker.ts and all it
 * imports) as one function of CommonJS's `require`, `module`, `exports` and `meta` for
 * import.meta, then its code cache from a thread that grades the bundled examples; returns
 * esbuild's metafile of the script.
 */
async function writeThread(outdir) {
  const file = join(outdir, 'start', 'thread.js');
  const { outputFiles, metafile } = await build({
    ...NODE_BUILD,
    format: 'cjs',
    banner: {},
    entryPoints: ['src/batch/worker.ts'],
    outfile: file,
    write: false,
    define: { 'import.meta': 'meta' },
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    metafile: true,
  });
  const source = `(function(require,module,exports,meta){${outputFiles[0].text}\n})`;
  writeFileSync(file, source);
  await trainIn('--train-thread', outdir, "the grading thread that makes the thread's code cache");
  writeCacheMade(join(outdir, 'start'), 'thread', source);
  return metafile;
}

/**
 * As the batch does with a class (src/batch/compiler.ts, src/batch/pool.ts): sets the grading
 * threads' compiler settings (V8 takes a code cache only under the flags it was made with), then
 * has one grading thread (trainThread) grade each bundled example three times, once with the
 * bundled submission, in `work`. The build fails if a student is not graded.
 */
async function trainThreads(outdir, work) {
  const compiler = join(work, 'compiler.mjs');
  await build({ ...NODE_BUILD, entryPoints: ['src/batch/compiler.ts'], outfile: compiler });
  const { tuneCompilerForGrading } = await import(pathToFileURL(compiler).href);
  tuneCompilerForGrading();
  const { rubric } = JSON.parse(readFileSync(join(outdir, 'esm', 'prepared.json'), 'utf8'));
  const context = { rubric, rubricFile: 'rubric.yaml', paramOverrides: {}, fileFormats: ['html'] };
  const examples = readdirSync(join(root, 'examples')).filter((name) => name.endsWith('.snapshot.json'));
  const jobs = examples.flatMap((name) =>
    [0, 1, 2].map((round) => ({
      studentId: `${name}-${round}`,
      dir: join(work, 'class', `${name}-${round}`),
      snapshotPath: join(root, 'examples', name),
      origin: 'roster',
      ...(round === 0 ? { submissionPath: join(root, 'examples', 'submission') } : {}),
    })),
  ).map((job, id) => ({ ...job, id }));
  const thread = new Worker(fileURLToPath(import.meta.url), { argv: ['--thread-cache', join(outdir, 'start'), jobs.length], workerData: context });
  await new Promise((resolve, reject) => {
    let graded = 0;
    thread.on('error', reject);
    thread.on('message', ({ id, result }) => {
      if (result.status !== 'ok') reject(new Error(`${jobs[id].studentId}: ${result.error}`));
      else if ((graded += 1) === jobs.length) resolve();
    });
    for (const job of jobs) thread.postMessage(job);
  });
  await thread.terminate();
}

/**
 * The steps of src/cli/grading-thread.ts (change them together) in a thread that writes the
 * script's code cache before its reply for the last of `jobs` students.
 */
function trainThread(start, jobs) {
  const file = join(start, 'thread.js');
  const script = new Script(readFileSync(file, 'utf8'), { filename: file, importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const thread = script.runInThisContext();
  let replies = 0;
  const reply = parentPort.postMessage.bind(parentPort);
  parentPort.postMessage = (message) => {
    if ((replies += 1) === jobs) writeFileSync(join(start, 'thread.cache'), script.createCachedData());
    reply(message);
  };
  const meta = { url: pathToFileURL(file).href };
  const module = { exports: {} };
  thread(createRequire(meta.url), module, module.exports, meta);
}

/**
 * The steps of src/cli/start.ts (change them together) for `grade --snapshot` of the complete
 * example, which record the chunks that ran and, when hot.js is there, write its code cache.
 */
function trainStart(outdir, work) {
  const start = join(outdir, 'start');
  const hotFile = join(start, 'hot.js');
  let script;
  let hot = {};
  if (existsSync(hotFile)) {
    script = new Script(readFileSync(hotFile, 'utf8'), { filename: hotFile, importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
    hot = script.runInThisContext();
  }
  const meta = { url: pathToFileURL(join(outdir, 'esm', 'cli.js')).href, gradingThread: join(outdir, 'grading-thread.js') };
  const nodeRequire = createRequire(meta.url);
  const loaded = new Map();
  const load = (name) => {
    const done = loaded.get(name);
    if (done) return done.exports;
    const module = { exports: {} };
    loaded.set(name, module);
    const factory = Object.hasOwn(hot, name) ? hot[name] : nodeRequire(join(start, name.replace(/\.js$/, '.cjs')));
    factory(requireChunk, module, module.exports, meta);
    return module.exports;
  };
  const requireChunk = (specifier) => (specifier.startsWith('./') ? load(specifier.slice(2)) : nodeRequire(specifier));
  process.on('exit', () => {
    writeFileSync(join(work, 'ran.json'), JSON.stringify([...loaded.keys()]));
    if (script) writeFileSync(join(start, 'hot.cache'), script.createCachedData());
  });
  process.argv = [process.argv[0], join(outdir, 'lab-grader.js'), 'grade', '--snapshot', join(root, 'examples/complete-lab.snapshot.json'), '--format', 'console,json', '--out', join(work, 'out')];
  load('cli.js');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--train-start') trainStart(process.argv[3], process.argv[4]);
  else if (process.argv[2] === '--train-thread') await trainThreads(process.argv[3], process.argv[4]);
  else if (process.argv[2] === '--thread-cache') trainThread(process.argv[3], Number(process.argv[4]));
  else await bundle(process.argv[2]);
}
