#!/usr/bin/env node
// The published bin's start (dist/bin/lab-grader.js). Node 20 keeps no compiled code of ES
// modules between runs, but a vm.Script takes V8's code cache. So the build (scripts/bundle.mjs)
// also writes every chunk of the bin as a function in start/: the chunks a regrade runs, one
// script (hot.js) with the code cache a regrade left (hot.cache); the others, one CommonJS file
// each, loaded when a command asks for them. The cache is given to V8 only for the exact bytes
// of hot.js it was made from and the Node it was made by; V8 refuses it too if its own version
// or flags differ, and hot.js is then compiled as any script. What runs is the same code either
// way. Run from source (dist/src, tsx), src/cli/main.ts is the entry instead.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script, constants } from 'node:vm';

/** A chunk of the bin as a function: its imports go through `require`, `meta` stands for its import.meta. */
type ChunkFactory = (require: (specifier: string) => unknown, module: { exports: unknown }, exports: unknown, meta: { url: string }) => void;

/** What the build records of hot.cache in hot.json. */
interface HotCacheMade {
  /** SHA-256 of hot.js, hex. */
  sha256: string;
  /** process.version of the Node that made the cache. */
  node: string;
}

const START = new URL('./start/', import.meta.url);

/** hot.js's chunks, with its code cache when the cache was made from these bytes by this Node. */
function hotChunks(): Record<string, ChunkFactory> {
  let source: string;
  try {
    source = readFileSync(new URL('hot.js', START), 'utf8');
  } catch {
    return {};
  }
  let cachedData: Buffer | undefined;
  try {
    const made = JSON.parse(readFileSync(new URL('hot.json', START), 'utf8')) as HotCacheMade;
    if (made.node === process.version && made.sha256 === createHash('sha256').update(source).digest('hex')) cachedData = readFileSync(new URL('hot.cache', START));
  } catch {
    cachedData = undefined;
  }
  const script = new Script(source, {
    filename: fileURLToPath(new URL('hot.js', START)),
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  return script.runInThisContext() as Record<string, ChunkFactory>;
}

/**
 * Runs the chunk `entry` of start/ and, as it asks, the chunks it imports (each once, as CommonJS
 * does). scripts/bundle.mjs runs the same steps to make the cache: change them together.
 */
function runChunks(entry: string, hot: Record<string, ChunkFactory>, binUrl: string): void {
  const nodeRequire = createRequire(binUrl);
  const meta = { url: binUrl };
  const loaded = new Map<string, { exports: unknown }>();
  const load = (name: string): unknown => {
    const done = loaded.get(name);
    if (done) return done.exports;
    const module = { exports: {} as unknown };
    loaded.set(name, module);
    const factory = Object.hasOwn(hot, name) ? hot[name]! : (nodeRequire(`./start/${name.replace(/\.js$/, '.cjs')}`) as ChunkFactory);
    factory(requireChunk, module, module.exports, meta);
    return module.exports;
  };
  const requireChunk = (specifier: string): unknown => (specifier.startsWith('./') ? load(specifier.slice(2)) : nodeRequire(specifier));
  load(entry);
}

runChunks('cli.js', hotChunks(), import.meta.url);
