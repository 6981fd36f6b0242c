import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'checks/**/*.test.ts', 'src/**/*.test.ts', 'reference-service/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**'],
    testTimeout: 20_000,
    pool: 'forks',
  },
});
