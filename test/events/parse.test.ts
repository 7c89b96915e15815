// SES's documented example payloads (test/fixtures/ses-events, source in its README) read into typed
// events: every notification type and every event-publishing type.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addressesToSuppress, isPermanentBounce, parseSesEvent, type SesEvent } from '../../src/events/index.js';

const dir = new URL('../fixtures/ses-events/', import.meta.url);
const load = (path: string): SesEvent => parseSesEvent(JSON.parse(readFileSync(new URL(path, dir), 'utf8')));
const EXAMPLE = 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000';

describe('notifications (notificationType)', () => {
  it('bounce with a DSN: permanent, the bounced recipient with status and diagnostic, to suppress', () => {
    const e = load('notifications/bounce-with-dsn.json');
    expect(e).toMatchObject({
      type: 'Bounce',
      kind: 'notification',
      messageId: '00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa0680-000000',
      timestamp: '2016-01-27T14:59:38.237Z',
    });
    expect(e.recipients).toEqual([
      { emailAddress: 'jane@example.com', status: '5.1.1', action: 'failed', diagnosticCode: 'smtp; 550 5.1.1 <jane@example.com>... User' },
    ]);
    expect(isPermanentBounce(e)).toBe(true);
    expect(addressesToSuppress(e)).toEqual(['jane@example.com']);
    expect(e.mail.source).toBe('john@example.com');
    expect(e.mail.destination).toEqual(['jane@example.com', 'mary@example.com', 'richard@example.com']);
    expect(e.mail.commonHeaders?.messageId).toBe('custom-message-ID');
    expect(e.mail.headers?.find((h) => h.name === 'Subject')?.value).toBe('Hello');
    if (e.type === 'Bounce') expect(e.bounce.reportingMTA).toBe('dns; email.example.com');
  });

  it('bounce without a DSN: two recipients, addresses only', () => {
    const e = load('notifications/bounce-without-dsn.json');
    expect(e.messageId).toBe('00000137860315fd-34208509-5b74-41f3-95c5-22c1edc3c924-000000');
    expect(e.recipients).toEqual([{ emailAddress: 'jane@example.com' }, { emailAddress: 'richard@example.com' }]);
    expect(addressesToSuppress(e)).toEqual(['jane@example.com', 'richard@example.com']);
  });

  it.each(['complaint-with-feedback', 'complaint-without-feedback'])('%s: the complained recipient, to suppress', (name) => {
    const e = load(`notifications/${name}.json`);
    expect(e.type).toBe('Complaint');
    expect(e.recipients).toEqual([{ emailAddress: 'richard@example.com' }]);
    expect(isPermanentBounce(e)).toBe(false);
    expect(addressesToSuppress(e)).toEqual(['richard@example.com']);
    if (e.type === 'Complaint' && name === 'complaint-with-feedback') expect(e.complaint.complaintFeedbackType).toBe('abuse');
  });

  it('delivery: the recipient with the SMTP response; nothing to suppress', () => {
    const e = load('notifications/delivery.json');
    expect(e).toMatchObject({ type: 'Delivery', messageId: '0000014644fe5ef6-9a483358-9170-4cb4-a269-f5dcdf415321-000000' });
    expect(e.recipients).toEqual([{ emailAddress: 'jane@example.com', diagnosticCode: '250 ok:  Message 64111812 accepted' }]);
    expect(addressesToSuppress(e)).toEqual([]);
    if (e.type === 'Delivery') expect(e.delivery.processingTimeMillis).toBe(546);
  });
});

describe('event publishing (eventType)', () => {
  const expected: Record<string, { type: string; recipients: unknown[]; suppress: string[]; timestamp: string }> = {
    'bounce.json': {
      type: 'Bounce',
      recipients: [
        { emailAddress: 'recipient@example.com', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
      ],
      suppress: ['recipient@example.com'],
      timestamp: '2017-08-05T00:41:02.669Z',
    },
    'complaint.json': {
      type: 'Complaint',
      recipients: [{ emailAddress: 'recipient@example.com' }],
      suppress: ['recipient@example.com'],
      timestamp: '2017-08-05T00:41:02.669Z',
    },
    'delivery.json': {
      type: 'Delivery',
      recipients: [{ emailAddress: 'recipient@example.com', diagnosticCode: '250 2.6.0 Message received' }],
      suppress: [],
      timestamp: '2016-10-19T23:21:04.133Z',
    },
    'send.json': {
      type: 'Send',
      recipients: [{ emailAddress: 'recipient@example.com' }],
      suppress: [],
      timestamp: '2016-10-14T05:02:16.645Z',
    },
    'reject.json': {
      type: 'Reject',
      recipients: [{ emailAddress: 'sender@example.com' }],
      suppress: [],
      timestamp: '2016-10-14T17:38:15.211Z',
    },
    'open.json': {
      type: 'Open',
      recipients: [{ emailAddress: 'recipient@example.com' }],
      suppress: [],
      timestamp: '2017-08-09T22:00:19.652Z',
    },
    'click.json': {
      type: 'Click',
      recipients: [{ emailAddress: 'recipient@example.com' }],
      suppress: [],
      timestamp: '2017-08-09T23:51:25.570Z',
    },
    'rendering-failure.json': {
      type: 'Rendering Failure',
      recipients: [{ emailAddress: 'recipient@example.com' }],
      suppress: [],
      timestamp: '2018-01-22T18:43:06.197Z',
    },
    'delivery-delay.json': {
      type: 'DeliveryDelay',
      recipients: [
        { emailAddress: 'recipient@example.com', status: '4.4.1', diagnosticCode: 'smtp; 421 4.4.1 Unable to connect to remote host' },
      ],
      suppress: [],
      timestamp: '2020-06-16T00:25:40.095Z',
    },
    'subscription.json': {
      type: 'Subscription',
      recipients: [{ emailAddress: 'recipient@example.com' }],
      suppress: [],
      timestamp: '2022-01-12T01:00:17.910Z',
    },
  };

  it('has a fixture for every documented event type', () => {
    expect(readdirSync(new URL('event-publishing/', dir)).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.keys(expected))('%s', (file) => {
    const e = load(`event-publishing/${file}`);
    const want = expected[file]!;
    expect(e.type).toBe(want.type);
    expect(e.kind).toBe('event');
    expect(e.messageId).toBe(file === 'subscription.json' ? 'EXAMPLEe4bccb684-777bc8de-afa7-4970-92b0-f515137b1497-000000' : EXAMPLE);
    expect(e.recipients).toEqual(want.recipients);
    expect(addressesToSuppress(e)).toEqual(want.suppress);
    expect(e.timestamp).toBe(want.timestamp);
    expect(e.mail.tags?.['ses:configuration-set']).toEqual(['ConfigSet']);
    expect(e.raw).toEqual(JSON.parse(readFileSync(new URL(`event-publishing/${file}`, dir), 'utf8')));
  });

  it("keeps each type's own details under its documented key", () => {
    const click = load('event-publishing/click.json');
    if (click.type !== 'Click') throw new Error('not a click');
    expect(click.click.link).toBe('http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html');
    const failure = load('event-publishing/rendering-failure.json');
    if (failure.type !== 'Rendering Failure') throw new Error('not a rendering failure');
    expect(failure.failure.templateName).toBe('MyTemplate');
    const sub = load('event-publishing/subscription.json');
    if (sub.type !== 'Subscription') throw new Error('not a subscription');
    expect(sub.subscription.newTopicPreferences.unsubscribeAll).toBe(true);
    const reject = load('event-publishing/reject.json');
    if (reject.type !== 'Reject') throw new Error('not a reject');
    expect(reject.reject.reason).toBe('Bad content');
  });

  it('a transient bounce is not permanent and suppresses nothing', () => {
    const raw = JSON.parse(readFileSync(new URL('event-publishing/bounce.json', dir), 'utf8')) as { bounce: { bounceType: string } };
    raw.bounce.bounceType = 'Transient';
    const e = parseSesEvent(raw);
    expect(isPermanentBounce(e)).toBe(false);
    expect(addressesToSuppress(e)).toEqual([]);
  });

  it('refuses what is not an SES payload, and keeps an unknown type as SES named it', () => {
    expect(() => parseSesEvent({ mail: { messageId: 'x' } })).toThrow(/eventType/);
    expect(() => parseSesEvent({ eventType: 'Send', mail: {} })).toThrow(/messageId/);
    const e = parseSesEvent({
      eventType: 'Future Thing',
      mail: { messageId: 'm', destination: ['a@example.com'] },
      futureThing: { timestamp: 't' },
    });
    expect(e.type).toBe('Future Thing');
    expect(e.timestamp).toBe('t');
    expect(e.recipients).toEqual([{ emailAddress: 'a@example.com' }]);
  });

  it('a complaint with complaintFeedbackType not-spam suppresses nobody; other complaints do', () => {
    const raw = JSON.parse(readFileSync(new URL('notifications/complaint-with-feedback.json', dir), 'utf8')) as {
      complaint: { complaintFeedbackType: string };
    };
    expect(addressesToSuppress(parseSesEvent(raw)).length).toBeGreaterThan(0);
    raw.complaint.complaintFeedbackType = 'not-spam';
    expect(addressesToSuppress(parseSesEvent(raw))).toEqual([]);
  });

  it('an unknown type named like an event field does not overwrite type, mail or the others', () => {
    for (const name of ['Mail', 'Type', 'Raw', 'Recipients', 'Message Id']) {
      const e = parseSesEvent({ eventType: name, mail: { messageId: 'm', destination: ['a@example.com'] }, mail2: {} });
      expect(e.type, name).toBe(name);
      expect(e.mail.messageId, name).toBe('m');
      expect(e.messageId, name).toBe('m');
      expect(e.recipients, name).toEqual([{ emailAddress: 'a@example.com' }]);
      expect(e.raw.eventType, name).toBe(name);
    }
  });
});
