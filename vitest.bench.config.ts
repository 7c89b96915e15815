import { defineConfig } from 'vitest/config';

// The benchmark smoke run (`npm run bench:smoke`): its own CI step, not part of `npm test`.
export default defineConfig({
  test: {
    include: ['bench/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
