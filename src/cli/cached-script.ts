// A script of the published bin's dist/bin/start/ run with the V8 code cache the build left for
// it (scripts/bundle.mjs). Node 20 keeps no compiled code of ES modules between runs, but a
// vm.Script takes V8's code cache: `NAME.cache`, recorded in `NAME.json` with the SHA-256 of
// the bytes of `NAME.js` it was made from and the Node that made it. The cache is given to V8
// only for those exact bytes and that Node (V8 checks only the length of the source); V8 refuses
// it too if its own version or flags differ, and the script is then compiled as any script. What
// runs is the same code either way. Used by the bin's start (src/cli/start.ts) and a grading
// thread's (src/cli/grading-thread.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script, constants } from 'node:vm';

/** What the build records of NAME.cache in NAME.json. */
interface CacheMade {
  /** SHA-256 of NAME.js, hex. */
  sha256: string;
  /** process.version of the Node that made the cache. */
  node: string;
}

/** What `start`/`name`.js evaluates to, compiled with its code cache when the cache was made from these bytes by this Node; undefined when there is no such script. */
export function runCachedScript(start: string, name: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(start, `${name}.js`));
  } catch {
    return undefined;
  }
  let cachedData: Buffer | undefined;
  try {
    const made = JSON.parse(readFileSync(join(start, `${name}.json`), 'utf8')) as CacheMade;
    if (made.node === process.version && made.sha256 === createHash('sha256').update(bytes).digest('hex')) cachedData = readFileSync(join(start, `${name}.cache`));
  } catch {
    cachedData = undefined;
  }
  const script = new Script(bytes.toString('utf8'), { filename: join(start, `${name}.js`), cachedData, importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  return script.runInThisContext();
}
