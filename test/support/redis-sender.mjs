// One process of a fleet: sends `count` messages through the BUILT package with a RedisRateLimiter
// into the fake SES, then prints a JSON line with what happened. Used by test/integration/redis.test.ts.
import nodemailer from 'nodemailer';
import { SesQueryTransport } from '../../dist/esm/index.js';
import { RedisRateLimiter } from '../../dist/esm/redis/index.js';

const [redisUrl, key, rate, count, endpoint, kind, tag] = process.argv.slice(2);
let client;
if (kind === 'node-redis') {
  const { createClient } = await import('redis');
  client = createClient({ url: redisUrl, socket: { reconnectStrategy: () => 100 } });
  client.on('error', () => {});
  await client.connect();
} else {
  const { default: Redis } = await import('ioredis');
  client = new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => 100, lazyConnect: false });
  client.on('error', () => {});
}
const warnings = [];
const logger = { trace() {}, debug() {}, info: (e, m) => warnings.push(m), warn: (e, m) => warnings.push(m), error() {}, fatal() {} };
const rateLimiter = new RedisRateLimiter({ client, key, rate: Number(rate), commandTimeout: 300 });
const transport = new SesQueryTransport({
  region: 'us-east-1',
  endpoint,
  credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake-secret-key' },
  rateLimiter,
  logger,
});
const transporter = nodemailer.createTransport(transport);
const sends = [];
for (let i = 0; i < Number(count); i++) {
  sends.push(transporter.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: `${tag}-${i}`, text: 't' }));
}
const results = await Promise.allSettled(sends);
await transporter.close();
if (kind === 'node-redis') await client.disconnect().catch(() => {});
else client.disconnect();
process.stdout.write(
  `${JSON.stringify({ ok: results.filter((r) => r.status === 'fulfilled').length, failed: results.filter((r) => r.status === 'rejected').map((r) => r.reason?.code), warnings })}\n`,
);
