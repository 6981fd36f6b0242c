#!/usr/bin/env node
// The published bin's start (dist/bin/lab-grader.js, built as CommonJS: dist/bin/package.json
// says so, and a CommonJS start does not set up Node's ES module loader). Node 20 keeps no
// compiled code of ES modules between runs, but a vm.Script takes V8's code cache. So the build
// (scripts/bundle.mjs) writes every chunk of the bundle (dist/bin/esm/) again as a function in
// start/: the chunks a regrade runs as one script (hot.js) with the code cache a regrade left
// (hot.cache; see src/cli/cached-script.ts); the others as one CommonJS file each, loaded when a
// command asks for them. What runs is the same code either way. Run from source (dist/src,
// tsx), src/cli/main.ts is the entry instead.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCachedScript } from './cached-script.js';

/** What the chunks' import.meta holds: their place, and the start of a grading thread (see src/batch/pool.ts). */
interface ChunkMeta {
  url: string;
  gradingThread: string;
}

/** A chunk of the bundle as a function: its imports go through `require`, `meta` stands for its import.meta. */
type ChunkFactory = (require: (specifier: string) => unknown, module: { exports: unknown }, exports: unknown, meta: ChunkMeta) => void;

/**
 * Runs the chunk `entry` of `start` and, as it asks, the chunks it imports (each once, as
 * CommonJS does); `meta.url` is the chunks' own place in dist/bin/esm/, where they find
 * prepared.json; `meta.gradingThread` is the start of a grading thread beside this one.
 * scripts/bundle.mjs runs the same steps to make the cache: change them together.
 */
function runChunks(start: string, entry: string, hot: Record<string, ChunkFactory>): void {
  const meta: ChunkMeta = { url: pathToFileURL(join(start, '..', 'esm', entry)).href, gradingThread: join(start, '..', 'grading-thread.js') };
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
runChunks(start, 'cli.js', (runCachedScript(start, 'hot') as Record<string, ChunkFactory> | undefined) ?? {});
