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
  },
});
