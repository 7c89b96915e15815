// An SES-like HTTP server for the bench, run in its own process on 127.0.0.1 so its CPU is not
// charged to the contenders. It reads every request body to the end but checks no signature.
//   POST /                          SES v1 Query: SendEmail, SendRawEmail, GetSendQuota, SendTemplatedEmail,
//                                   SendBulkTemplatedEmail (every destination Success) (XML answers)
//   POST /v2/email/outbound-emails  SESv2 SendEmail (JSON answer)
//   GET  /__stats, POST /__reset    request counters for the orchestrator and the smoke test
// Prints `listening <port>` on stdout once it accepts connections. PORT=0 (default) picks a free port.
import { createServer } from 'node:http';

const XMLNS = 'http://ses.amazonaws.com/doc/2010-12-01/';
const ACTION = Buffer.from('Action=');

let seq = 0;
let stats = fresh();

function fresh() {
  return {
    SendEmail: 0,
    SendRawEmail: 0,
    GetSendQuota: 0,
    v2SendEmail: 0,
    SendTemplatedEmail: 0,
    SendBulkTemplatedEmail: 0,
    bulkDestinations: 0,
    other: 0,
    unsigned: 0,
    bytes: 0,
    maxBody: 0,
  };
}

function nextId() {
  seq++;
  return `0100018f${seq.toString(16).padStart(8, '0')}-bench-0000-0000-000000000000-000000`;
}

/** The `Action` parameter of a form body (keys and values are percent-encoded, so `Action=` is unambiguous). */
function actionOf(body) {
  let at = body.indexOf(ACTION);
  while (at > 0 && body[at - 1] !== 0x26 /* & */) at = body.indexOf(ACTION, at + 1);
  if (at < 0) return '';
  const start = at + ACTION.length;
  let end = body.indexOf(0x26, start);
  if (end < 0) end = body.length;
  return body.toString('latin1', start, end);
}

function reply(res, status, type, text, requestId) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': requestId });
  res.end(text);
}

/** Destinations of a SendBulkTemplatedEmail body: the highest N of `Destinations.member.N.Destination`. */
function destinationsOf(body) {
  let n = 0;
  for (const m of body.toString('latin1').matchAll(/Destinations\.member\.(\d+)\.Destination\./g)) n = Math.max(n, Number(m[1]));
  return n;
}

function answerQuery(res, action, requestId, body) {
  const meta = `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`;
  if (action === 'SendBulkTemplatedEmail') {
    const n = destinationsOf(body);
    stats.SendBulkTemplatedEmail++;
    stats.bulkDestinations += n;
    const members = Array.from({ length: n }, () => `<member><Status>Success</Status><MessageId>${nextId()}</MessageId></member>`).join('');
    reply(
      res,
      200,
      'text/xml',
      `<${action}Response xmlns="${XMLNS}"><${action}Result><Status>${members}</Status></${action}Result>${meta}</${action}Response>`,
      requestId,
    );
  } else if (action === 'SendEmail' || action === 'SendRawEmail' || action === 'SendTemplatedEmail') {
    stats[action]++;
    reply(
      res,
      200,
      'text/xml',
      `<${action}Response xmlns="${XMLNS}"><${action}Result><MessageId>${nextId()}</MessageId></${action}Result>${meta}</${action}Response>`,
      requestId,
    );
  } else if (action === 'GetSendQuota') {
    stats.GetSendQuota++;
    reply(
      res,
      200,
      'text/xml',
      `<GetSendQuotaResponse xmlns="${XMLNS}"><GetSendQuotaResult><Max24HourSend>1000000.0</Max24HourSend><MaxSendRate>10000.0</MaxSendRate><SentLast24Hours>0.0</SentLast24Hours></GetSendQuotaResult>${meta}</GetSendQuotaResponse>`,
      requestId,
    );
  } else {
    stats.other++;
    reply(
      res,
      400,
      'text/xml',
      `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Unknown action</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      requestId,
    );
  }
}

const server = createServer((req, res) => {
  const chunks = [];
  let length = 0;
  req.on('data', (chunk) => {
    chunks.push(chunk);
    length += chunk.length;
  });
  req.on('end', () => {
    const requestId = `bench-${seq + 1}`;
    if (req.method === 'GET' && req.url === '/__stats') return reply(res, 200, 'application/json', JSON.stringify(stats), requestId);
    if (req.method === 'POST' && req.url === '/__reset') {
      stats = fresh();
      return reply(res, 200, 'application/json', '{}', requestId);
    }
    stats.bytes += length;
    if (length > stats.maxBody) stats.maxBody = length;
    if (!req.headers.authorization) stats.unsigned++;
    if (req.method === 'POST' && (req.url === '/' || req.url.startsWith('/?'))) {
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
      return answerQuery(res, actionOf(body), requestId, body);
    }
    if (req.method === 'POST' && req.url.startsWith('/v2/email/outbound-emails')) {
      stats.v2SendEmail++;
      return reply(res, 200, 'application/json', JSON.stringify({ MessageId: nextId() }), requestId);
    }
    stats.other++;
    reply(res, 404, 'application/json', '{"message":"not found"}', requestId);
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.requestTimeout = 0;
server.maxRequestsPerSocket = 0;

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});

function stop() {
  server.close();
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
