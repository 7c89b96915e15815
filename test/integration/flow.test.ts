// Many messages through the transport into the fake: nothing lost, the connection cap and the rate
// held, and Nodemailer's "send while idle" loop drained without spinning.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { SesQueryTransport } from '../../src/index.js';
import { closeTransporter } from '../support/close-transporter.js';
import { FAKE_CREDENTIALS, startFakeSes, type FakeSes } from '../support/fake-ses.js';

let fake: FakeSes;
beforeAll(async () => {
  fake = await startFakeSes();
});
afterAll(() => fake.close());

const message = (i: number) => ({ from: 'a@example.com', to: `r${i}@example.org`, subject: `m${i}`, text: 't' });

describe('flow', () => {
  it('delivers 5,000 messages exactly once with at most maxConnections in flight', async () => {
    fake.maxInFlight = 0;
    const before = fake.accepted.length;
    const t = nodemailer.createTransport(
      new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url, credentials: FAKE_CREDENTIALS, maxConnections: 4 }),
    );
    const infos = await Promise.all(Array.from({ length: 5000 }, (_, i) => t.sendMail(message(i))));
    await closeTransporter(t);
    const subjects = fake.accepted.slice(before).map((a) => a.request.params['Message.Subject.Data']);
    expect(new Set(subjects).size).toBe(5000);
    expect(new Set(infos.map((i) => i.response)).size).toBe(5000);
    expect(fake.maxInFlight).toBeLessThanOrEqual(4);
  });

  it('holds sendingRate within 10% over three seconds', async () => {
    const before = fake.accepted.length;
    const t = nodemailer.createTransport(
      new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url, credentials: FAKE_CREDENTIALS, sendingRate: 50 }),
    );
    await Promise.all(Array.from({ length: 151 }, (_, i) => t.sendMail(message(i))));
    await closeTransporter(t);
    const times = fake.accepted.slice(before).map((a) => a.request.at);
    const seconds = (times.at(-1)! - times[0]!) / 1000;
    const observed = (times.length - 1) / seconds;
    expect(observed).toBeGreaterThan(45);
    expect(observed).toBeLessThan(55);
  });

  it('drains a queue with the idle event and isIdle(), never sending while busy', async () => {
    const transport = new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url, credentials: FAKE_CREDENTIALS, maxConnections: 2 });
    const t = nodemailer.createTransport(transport);
    const queue = Array.from({ length: 300 }, (_, i) => message(i));
    const pending: Promise<unknown>[] = [];
    let idleEvents = 0;
    let largestBatch = 0;
    await new Promise<void>((resolve) => {
      t.on('idle', () => {
        idleEvents++;
        let batch = 0;
        while (t.isIdle() && queue.length) {
          pending.push(t.sendMail(queue.shift()!));
          batch++;
        }
        largestBatch = Math.max(largestBatch, batch);
        if (!queue.length) resolve();
      });
    });
    await Promise.all(pending);
    await closeTransporter(t);
    expect(pending).toHaveLength(300);
    expect(idleEvents).toBeLessThan(400);
    // isIdle() turns false as soon as maxConnections messages are handed over.
    expect(largestBatch).toBeLessThanOrEqual(2);
  });

  it('lets the process exit by itself after close(), retries and rate-limit timers included', async () => {
    fake.enqueue({ error: { code: 'Throttling', message: 'Maximum sending rate exceeded.' } });
    const script = fileURLToPath(new URL('../support/exit-after-close.mjs', import.meta.url));
    const started = Date.now();
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [script, fake.url], { timeout: 15_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(out.trim()).toMatch(/^sent 3, attempts (2,1,1|1,2,1|1,1,2), sockets [1-9]\d*, open 0$/);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 20_000);
});
