// T: 1,000 templated messages (a newsletter loop: one sendMail per subscriber, same template, own
// data and tags), through this package (built, dist/esm): one SendTemplatedEmail each
// (templateBatching: false) against batched SendBulkTemplatedEmail (the default). Run by
// bench/run.mjs in a fresh process per mode: `node bench/cases/t-templates.mjs '{"endpoint":…,"batching":true}'`.
// Prints `RESULT {json}`: CPU ms per message (process.cpuUsage, user + system), wall ms, requests the
// server saw, peak RSS.
import nodemailer from 'nodemailer';
import { SesQueryTransport } from '../../dist/esm/index.js';

const args = JSON.parse(process.argv[2]);
const n = args.n ?? 1000;
const warmup = args.warmup ?? 200;
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };

const transporter = nodemailer.createTransport(
  new SesQueryTransport({
    region: 'us-east-1',
    endpoint: args.endpoint,
    credentials,
    maxConnections: 32,
    templateBatching: args.batching ? {} : false,
  }),
);

const message = (i) => ({
  from: 'News <news@example.com>',
  to: `subscriber${i}@example.org`,
  ses: {
    Template: 'newsletter',
    TemplateData: { name: `Subscriber ${i}`, unsubscribe: `https://example.com/u/${i}` },
    Tags: [{ Name: 'list', Value: 'weekly' }],
  },
});

async function stats() {
  return (await fetch(`${args.endpoint}/__stats`)).json();
}

async function batch(count, offset) {
  const infos = await Promise.all(Array.from({ length: count }, (_, i) => transporter.sendMail(message(offset + i))));
  if (infos.length !== count) throw new Error('lost messages');
  return infos;
}

await batch(warmup, 0);
globalThis.gc?.();
const before = await stats();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const infos = await batch(n, warmup);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const after = await stats();
await transporter.close();
const requests = (k) => after[k] - before[k];
const actions = [...new Set(infos.map((i) => i.action))];
const result = {
  batching: args.batching,
  messages: n,
  cpuMsPerMsg: (cpu.user + cpu.system) / 1000 / n,
  wallMs,
  requests: requests('SendTemplatedEmail') + requests('SendBulkTemplatedEmail') + requests('other'),
  sendTemplatedEmail: requests('SendTemplatedEmail'),
  sendBulkTemplatedEmail: requests('SendBulkTemplatedEmail'),
  bulkDestinations: requests('bulkDestinations'),
  actions,
  peakRssMB: process.resourceUsage().maxRSS / 1024,
};
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
