import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // `lab-grader` (the reference service's dependency on this package) resolves to its TypeScript
  // sources, as tsconfig.json's customConditions does, so a test never runs a stale build.
  ssr: { resolve: { conditions: ['lab-grader-source'] } },
  test: {
    include: ['test/**/*.test.ts', 'checks/**/*.test.ts', 'src/**/*.test.ts', 'reference-service/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**'],
    // The SDK's notice about Node releases after January 2027, printed by every worker that builds
    // a client, says nothing about the tests (the CLI hides it the same way, src/cli/main.ts).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 20_000,
    pool: 'forks',
    // One worker more than the cores, and at least three: vitest's default leaves a core to itself
    // (one worker on a 2-core machine), while much of a worker's time here is spent waiting on the
    // processes, servers, browser and deadlines its tests start, time another worker's tests use.
    // On the 2-core machine, alternating runs of the whole suite: with the AWS stand-in and the
    // consumers (as CI runs it), two workers 84.9, 97.2, 88.5 and 97.6 s, three 80.7, 82.1, 80.4
    // and 85.8 s (four 92.2 s); without them, two 63.9 and 62.8 s, three 55.0 and 61.6 s.
    maxWorkers: Math.max(3, availableParallelism() + 1),
    // The bin every CLI test runs, built once per run from the current sources.
    globalSetup: ['test/support/built-package.ts'],
    // Test files share a worker's loaded modules (the SDK, zod, yaml and the sources are loaded
    // once per worker instead of once per file); test/support/isolation.ts puts back what a file
    // changed in the process (environment, spies, timers, working folder) when it ends.
    isolate: false,
    setupFiles: ['test/support/isolation.ts'],
  },
});
