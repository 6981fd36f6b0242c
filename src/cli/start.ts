#!/usr/bin/env node
// The published bin's start (dist/bin/lab-grader.js, built as CommonJS: dist/bin/package.json
// says so, and a CommonJS start does not set up Node's ES module loader). Node 20 keeps no
// compiled code of ES modules between runs, but a vm.Script takes V8's code cache. So the build
// (scripts/bundle.mjs) writes every chunk of the bundle (dist/bin/esm/) again as a function in
// start/: the chunks a regrade runs as one script (hot.js) with the code cache a regrade left
// (hot.cache); the others as one CommonJS file each, loaded when a command asks for them. The
// cache is given to V8 only for the exact bytes of hot.js it was made from and by the Node that
// made it; V8 refuses it too if its own version or flags differ, and hot.js is then compiled as
// any script. What runs is the same code either way. Run from source (dist/src, tsx),
// src/cli/main.ts is the entry instead.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script, constants } from 'node:vm';

/** A chunk of the bundle as a function: its imports go through `require`, `meta` stands for its import.meta. */
type ChunkFactory = (require: (specifier: string) => unknown, module: { exports: unknown }, exports: unknown, meta: { url: string }) => void;

/** What the build records of hot.cache in hot.json. */
interface HotCacheMade {
  /** SHA-256 of hot.js, hex. */
  sha256: string;
  /** process.version of the Node that made the cache. */
  node: string;
}

/** hot.js's chunks, with its code cache when the cache was made from these bytes by this Node. */
function hotChunks(start: string): Record<string, ChunkFactory> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(start, 'hot.js'));
  } catch {
    return {};
  }
  let cachedData: Buffer | undefined;
  try {
    const made = JSON.parse(readFileSync(join(start, 'hot.json'), 'utf8')) as HotCacheMade;
    if (made.node === process.version && made.sha256 === createHash('sha256').update(bytes).digest('hex')) cachedData = readFileSync(join(start, 'hot.cache'));
  } catch {
    cachedData = undefined;
  }
  const script = new Script(bytes.toString('utf8'), { filename: join(start, 'hot.js'), cachedData, importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  return script.runInThisContext() as Record<string, ChunkFactory>;
}

/**
 * Runs the chunk `entry` of `start` and, as it asks, the chunks it imports (each once, as
 * CommonJS does); `meta.url` is the chunks' own place in dist/bin/esm/, where they find
 * prepared.json and worker.js. scripts/bundle.mjs runs the same steps to make the cache: change
 * them together.
 */
function runChunks(start: string, entry: string, hot: Record<string, ChunkFactory>): void {
  const meta = { url: pathToFileURL(join(start, '..', 'esm', entry)).href };
  const nodeRequire = createRequire(meta.url);
  const loaded = new Map<string, { exports: unknown }>();
  const load = (name: string): unknown => {
    const done = loaded.get(name);
    if (done) return done.exports;
    const module = { exports: {} as unknown };
    loaded.set(name, module);
    const factory = Object.hasOwn(hot, name) ? hot[name]! : (nodeRequire(join(start, name.replace(/\.js$/, '.cjs'))) as ChunkFactory);
    factory(requireChunk, module, module.exports, meta);
    return module.exports;
  };
  const requireChunk = (specifier: string): unknown => (specifier.startsWith('./') ? load(specifier.slice(2)) : nodeRequire(specifier));
  load(entry);
}

// Built as CommonJS, where __filename is this file, links resolved (npm's bin is a link to it).
const start = join(__filename, '..', 'start');
runChunks(start, 'cli.js', hotChunks(start));
