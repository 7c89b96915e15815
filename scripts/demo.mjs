// `npm run demo`: real messages through Nodemailer and this transport into a local SES emulator
// (aws-ses-v2-local) that this script starts on a free loopback port and stops again. No AWS account needed.
import nodemailer from 'nodemailer';
import emulator from 'aws-ses-v2-local';
import { SesQueryTransport } from '../dist/esm/index.js';

const startEmulator = emulator.default ?? emulator;
const quiet = console.log;
console.log = () => {}; // the emulator announces itself; keep the demo's output to what arrived
const server = await startEmulator({ host: '127.0.0.1', port: 0 });
console.log = quiet;
const endpoint = `http://127.0.0.1:${server.address().port}`;

const transport = new SesQueryTransport({
  region: 'eu-west-1',
  endpoint,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'demo-secret-not-used-by-the-emulator' },
});
const transporter = nodemailer.createTransport(transport);

let failed = false;
try {
  console.log(`SES emulator: ${endpoint}  (transport ${transport.name}/${transport.version}, region ${transport.region})\n`);

  const simple = await transporter.sendMail({
    from: '"Ops Team" <ops@example.com>',
    to: 'ana@example.org',
    subject: 'Your password reset code',
    text: 'Your code is 493 201. It expires in 10 minutes.',
    html: '<p>Your code is <b>493 201</b>. It expires in 10 minutes.</p>',
  });
  print('simple message', simple);

  const withAttachment = await transporter.sendMail({
    from: '"Billing — Zoë" <billing@example.com>',
    to: 'ana@example.org',
    cc: 'accounts@example.org',
    bcc: 'archive@example.net',
    subject: 'Invoice 2026-117 ✓',
    text: 'Your invoice is attached.',
    attachments: [{ filename: 'invoice-2026-117.txt', content: 'Invoice 2026-117\nTotal: 42.00 EUR\n' }],
  });
  print('message with attachment, Cc and Bcc', withAttachment);

  const store = await (await fetch(`${endpoint}/store`)).json();
  console.log(`The emulator's store holds ${store.emails.length} messages:`);
  for (const email of store.emails) {
    console.log(`\n  ${email.messageId}`);
    console.log(`    from:        ${email.from}`);
    console.log(`    to:          ${email.destination.to.join(', ')}`);
    if (email.destination.cc.length) console.log(`    cc:          ${email.destination.cc.join(', ')}`);
    if (email.destination.bcc.length) console.log(`    bcc:         ${email.destination.bcc.join(', ')}`);
    console.log(`    subject:     ${email.subject}`);
    console.log(`    text:        ${JSON.stringify(email.body.text?.trim())}`);
    for (const a of email.attachments) console.log(`    attachment:  ${a.filename} (${a.contentType}, ${a.size} bytes)`);
  }
  const ids = new Set(store.emails.map((e) => e.messageId));
  if (!ids.has(simple.response) || !ids.has(withAttachment.response)) {
    throw new Error('a message the transport reported as sent is missing from the emulator');
  }
  console.log('\nBoth messages arrived.');
} catch (err) {
  failed = true;
  console.error('Demo failed:', err);
} finally {
  await transporter.close();
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
}
process.exitCode = failed ? 1 : 0;

function print(label, info) {
  console.log(`Sent ${label} with ${info.action}:`);
  console.log(`  messageId ${info.messageId}`);
  console.log(`  envelope  ${info.envelope.from} → ${info.envelope.to.join(', ')}\n`);
}
