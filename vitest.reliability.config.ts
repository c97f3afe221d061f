import { defineConfig } from 'vitest/config';

/**
 * `npm run test:reliability` (CI runs it after `npm test`): the full-scale fault, load and
 * fuzz suites in test/reliability/ (docs/reliability.md). One file at a time: each starts
 * DynamoDB Local (a JVM) and saturates it, which is all a 2-core machine can take.
 */
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 120_000,
    // Faults make the stack log thousands of (expected) warnings; tests assert outcomes and print [figures].
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', CDK_VALIDATION: 'false' },
  },
});
