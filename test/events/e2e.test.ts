// End to end: a message sent through the transport into the fake SES comes back, as SES would publish
// it, as a signed SNS Delivery and Bounce notification carrying the same message id, delivered to the
// example app (examples/ses-events) through its Node handler and through its Fetch handler.
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesQueryTransport } from 'nodemailer-ses-query';
import { createEventsServer, createFetchRoute, createReceiver, type MailLog } from '../../examples/ses-events/app.js';
import { FAKE_CREDENTIALS, startFakeSes, type FakeSes, type RecordedRequest } from '../support/fake-ses.js';
import { TOPIC, startFakeSns, type FakeSns } from './support/fake-sns.js';

/** What SES publishes for an accepted message: the `mail` block from the request as SES saw it. */
function sesPayload(messageId: string, request: RecordedRequest, type: 'Delivery' | 'Bounce') {
  const to = Object.entries(request.params)
    .filter(([k]) => /^Destination\.ToAddresses\.member\.\d+$/.test(k))
    .map(([, v]) => v);
  const now = new Date().toISOString();
  const mail = {
    timestamp: new Date(request.at).toISOString(),
    source: request.params.Source,
    sendingAccountId: '123456789012',
    messageId,
    destination: to,
  };
  return type === 'Delivery'
    ? {
        notificationType: 'Delivery',
        mail,
        delivery: {
          timestamp: now,
          processingTimeMillis: 120,
          recipients: to,
          smtpResponse: '250 2.6.0 Message received',
          reportingMTA: 'a1-2.smtp-out.eu-west-1.amazonses.com',
        },
      }
    : {
        notificationType: 'Bounce',
        mail,
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: to.map((emailAddress) => ({
            emailAddress,
            action: 'failed',
            status: '5.1.1',
            diagnosticCode: 'smtp; 550 5.1.1 user unknown',
          })),
          timestamp: now,
          feedbackId: 'feedback-1',
        },
      };
}

let ses: FakeSes;
let sns: FakeSns;
let server: Server;
let port: number;
const log: MailLog = { suppressed: new Set(), outcomes: new Map() };
const receiverOptions = () => ({ topicArns: [TOPIC], isSnsUrl: (u: URL) => sns.isSnsUrl(u), dispatcher: sns.dispatcher });

beforeAll(async () => {
  ses = await startFakeSes({ region: 'eu-west-1' });
  sns = await startFakeSns();
  server = createEventsServer(createReceiver(log, receiverOptions()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await sns?.close();
  await ses?.close();
});

function postToApp(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/ses-events', method: 'POST', headers: { 'content-type': 'text/plain; charset=UTF-8' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function send(to: string) {
  const transport = nodemailer.createTransport(
    new SesQueryTransport({ region: 'eu-west-1', endpoint: ses.url, credentials: FAKE_CREDENTIALS }),
  );
  try {
    const info = await transport.sendMail({ from: 'app@example.com', to, subject: 'Welcome', text: 'Hello' });
    const accepted = ses.accepted.find((a) => a.messageId === info.response)!;
    expect(accepted).toBeDefined();
    return { info, accepted };
  } finally {
    transport.close();
  }
}

describe('sent message → SES event → SNS → receiver', () => {
  it('Delivery and Bounce come back through the Node handler with the id sendMail returned', async () => {
    const { info, accepted } = await send('jane@example.com');
    expect(info.messageId).toContain(info.response);
    for (const type of ['Delivery', 'Bounce'] as const) {
      const envelope = sns.signed(
        { Message: JSON.stringify(sesPayload(info.response, accepted.request, type)), Subject: 'Amazon SES Email Event Notification' },
        '1',
      );
      expect(await postToApp(JSON.stringify(envelope))).toBe(200);
    }
    expect(log.outcomes.get(info.response)).toEqual(['Delivery', 'Bounce']);
    expect(log.suppressed.has('jane@example.com')).toBe(true);
  });

  it('and through the Fetch handler', async () => {
    const fetchLog: MailLog = { suppressed: new Set(), outcomes: new Map() };
    const route = createFetchRoute(createReceiver(fetchLog, receiverOptions()));
    const { info, accepted } = await send('mary@example.com');
    for (const type of ['Delivery', 'Bounce'] as const) {
      const envelope = sns.signed({ Message: JSON.stringify(sesPayload(info.response, accepted.request, type)) }, '2');
      const res = await route(
        new Request('https://app.example/ses-events', {
          method: 'POST',
          body: JSON.stringify(envelope),
          headers: { 'content-type': 'text/plain; charset=UTF-8' },
        }),
      );
      expect(res.status).toBe(200);
    }
    expect(fetchLog.outcomes.get(info.response)).toEqual(['Delivery', 'Bounce']);
    expect([...fetchLog.suppressed]).toEqual(['mary@example.com']);
  });

  it('a forged bounce for a sent message is refused and changes nothing', async () => {
    const { info, accepted } = await send('richard@example.com');
    const envelope = sns.signed({ Message: JSON.stringify(sesPayload(info.response, accepted.request, 'Delivery')) });
    const forged = { ...envelope, Message: JSON.stringify(sesPayload(info.response, accepted.request, 'Bounce')) };
    expect(await postToApp(JSON.stringify(forged))).toBe(400);
    expect(log.outcomes.has(info.response)).toBe(false);
    expect(log.suppressed.has('richard@example.com')).toBe(false);
  });
});
