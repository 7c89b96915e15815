import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Examples import the package by name, as users do; tests run them against the source.
    alias: {
      'nodemailer-ses-query/events': fileURLToPath(new URL('./src/events/index.ts', import.meta.url)),
      'nodemailer-ses-query/redis': fileURLToPath(new URL('./src/redis/index.ts', import.meta.url)),
      'nodemailer-ses-query': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
