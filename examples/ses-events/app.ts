// Bounces and complaints for an app that sends through nodemailer-ses-query: SES publishes them to an
// SNS topic, SNS POSTs them here, the receiver verifies each one and hands over typed events.
//
// In AWS: create an SNS topic, point the identity's (or configuration set's) Bounce, Complaint and
// Delivery notifications at it, subscribe https://your.host/ses-events to it (HTTPS, raw message
// delivery off), and allow only SES to publish to it in the topic's access policy.
import { createServer, type Server } from 'node:http';
import { SesEventReceiver, addressesToSuppress, type SesEvent, type SesEventReceiverOptions } from 'nodemailer-ses-query/events';

/** Where the app keeps what it learned: a table in a real app. */
export interface MailLog {
  suppressed: Set<string>;
  /** SES message id (`info.response` from sendMail) → what happened to it. */
  outcomes: Map<string, string[]>;
}

export function createReceiver(log: MailLog, options: Omit<SesEventReceiverOptions, 'onEvent'>): SesEventReceiver {
  return new SesEventReceiver({
    ...options,
    onEvent: (event: SesEvent) => {
      // The same id sendMail gave back: tie the event to the message you sent.
      const seen = log.outcomes.get(event.messageId) ?? [];
      seen.push(event.type);
      log.outcomes.set(event.messageId, seen);
      // Permanent bounces and complaints: never mail these addresses again.
      for (const address of addressesToSuppress(event)) log.suppressed.add(address);
    },
  });
}

/** A plain node:http server with the receiver at POST /ses-events (Express: `app.post('/ses-events', receiver.nodeHandler())`). */
export function createEventsServer(receiver: SesEventReceiver): Server {
  const handler = receiver.nodeHandler();
  return createServer((req, res) => {
    if (req.url === '/ses-events') return handler(req, res);
    res.writeHead(404).end();
  });
}

/** The same receiver for a Fetch API runtime (Hono, Next.js route handlers, Bun.serve, Deno.serve). */
export function createFetchRoute(receiver: SesEventReceiver): (request: Request) => Promise<Response> {
  return receiver.fetchHandler();
}

// Run directly: SES_EVENTS_TOPIC_ARN=arn:aws:sns:… PORT=8080 node app.js (behind your HTTPS proxy).
if (process.env.SES_EVENTS_TOPIC_ARN && process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const log: MailLog = { suppressed: new Set(), outcomes: new Map() };
  const receiver = createReceiver(log, { topicArns: [process.env.SES_EVENTS_TOPIC_ARN], logger: true });
  createEventsServer(receiver).listen(Number(process.env.PORT ?? 8080));
}
