// Sends a few messages through the BUILT package (rate-limited, one throttled and retried), calls
// close(), and then does nothing: the process must exit by itself, so nothing may be left open.
import { subscribe } from 'node:diagnostics_channel';
import nodemailer from 'nodemailer';
import { SesQueryTransport } from '../../dist/esm/index.js';

// Every socket undici opens, so that after close() we can tell whether the pool really let go of them
// (idle kept-alive sockets are unref'd: the process could exit with them open, so exiting proves nothing).
const sockets = [];
subscribe('undici:client:connected', ({ socket }) => sockets.push(socket));

const [endpoint] = process.argv.slice(2);
const transport = new SesQueryTransport({
  region: 'us-east-1',
  endpoint,
  credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake-secret-key' },
  sendingRate: 20,
  sendTimeout: 10_000,
});
const transporter = nodemailer.createTransport(transport);
const infos = await Promise.all(
  [1, 2, 3].map((i) => transporter.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: `exit ${i}`, text: 't' })),
);
await transporter.close();
await new Promise((r) => setImmediate(r));
process.stdout.write(
  `sent ${infos.length}, attempts ${infos.map((i) => i.attempts).join(',')}, sockets ${sockets.length}, open ${sockets.filter((s) => !s.destroyed).length}\n`,
);
