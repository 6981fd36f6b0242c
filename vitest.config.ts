import { defineConfig } from 'vitest/config';

export default defineConfig({
  // `lab-grader` (the reference service's dependency on this package) resolves to its TypeScript
  // sources, as tsconfig.json's customConditions does, so a test never runs a stale build.
  ssr: { resolve: { conditions: ['lab-grader-source'] } },
  test: {
    include: ['test/**/*.test.ts', 'checks/**/*.test.ts', 'src/**/*.test.ts', 'reference-service/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**'],
    testTimeout: 20_000,
    pool: 'forks',
  },
});
