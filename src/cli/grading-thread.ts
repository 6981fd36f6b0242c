// A grading thread of the published bin (dist/bin/grading-thread.js, CommonJS as the bin's start
// is), which the batch's pool starts when the bin's start names it (src/batch/pool.ts). The
// thread's code, src/batch/worker.ts and everything it imports, is one script of its own,
// start/thread.js, bundled apart from the bin's chunks: in one scope its functions call one
// another directly, where a chunk reaches another's through the getters of its exports. It runs
// with the code cache a grading thread left when the package was built (see
// src/cli/cached-script.ts), made under the compiler settings the batch gives its grading
// threads (src/batch/compiler.ts); V8 refuses it under any other flags, and the thread then
// compiles the same code as usual. Without thread.js, the thread runs the bundle's worker.js.
// scripts/bundle.mjs runs the same steps to make the cache: change them together.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCachedScript } from './cached-script.js';

/** thread.js: the thread's code as a function, with CommonJS's `require` and `module` and `meta` for its import.meta. */
type ThreadFactory = (require: NodeJS.Require, module: { exports: unknown }, exports: unknown, meta: { url: string }) => void;

// Built as CommonJS, where __filename is this file.
const start = join(__filename, '..', 'start');
const thread = runCachedScript(start, 'thread') as ThreadFactory | undefined;
if (thread) {
  const meta = { url: pathToFileURL(join(start, 'thread.js')).href };
  const module = { exports: {} };
  thread(createRequire(meta.url), module, module.exports, meta);
} else {
  // A failed import fails this thread, as any error of its code does (the pool names it).
  void import(pathToFileURL(join(start, '..', 'esm', 'worker.js')).href);
}
