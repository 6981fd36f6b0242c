// Set up before every test file. Test files share their worker process (vitest.config.ts:
// isolate is off, so each module is loaded once per worker, not once per file): what a file
// changes in the process is put back when the file ends, so the next file starts as if alone.
import { afterAll, vi } from 'vitest';

const env = { ...process.env };
const cwd = process.cwd();

afterAll(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
  // A file that assigned process.env itself, or replaced it: the same variables as before it ran.
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  for (const [key, value] of Object.entries(env)) if (process.env[key] !== value) process.env[key] = value;
  if (process.cwd() !== cwd) process.chdir(cwd);
});
