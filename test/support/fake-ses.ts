// A fake SES on loopback, over HTTP or HTTPS, that checks every request's SigV4 signature with AWS's
// own signer (@smithy/signature-v4, not ours) and answers the way SES does. Scripted fault steps let a
// test choose what the next requests get: an error, a reset, a hang, a stalled body, a delay.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from './smithy-sha256.js';
import { makeSelfSignedCert } from './tls.js';

export interface FakeCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type FaultStep =
  | { status: number; body: string; headers?: Record<string, string> }
  | { error: { code: string; message: string; status?: number; type?: 'Sender' | 'Receiver' }; headers?: Record<string, string> }
  | 'reset'
  | 'hang-headers'
  | 'stall-body'
  | { delay: number };

export interface FakeSesOptions {
  https?: boolean;
  region?: string;
  credentials?: FakeCredentials[];
  /** The server's clock runs this many ms ahead of the machine's. */
  clockSkewMs?: number;
  maxSendRate?: number;
}

export interface RecordedRequest {
  action: string;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  rawBody: string;
  rawMime?: string;
  at: number;
}

/** A stored template, as SES's `Template` structure. */
export interface FakeTemplate {
  TemplateName: string;
  SubjectPart?: string;
  TextPart?: string;
  HtmlPart?: string;
  CreatedTimestamp: string;
}

/** One destination of a SendBulkTemplatedEmail, as the fake read it. */
export interface FakeBulkDestination {
  to: string[];
  cc: string[];
  bcc: string[];
  tags: Array<{ Name: string; Value: string }>;
  data: string | undefined;
}

export interface FakeSes {
  url: string;
  ca?: string;
  region: string;
  requests: RecordedRequest[];
  /** Messages accepted (SendEmail / SendRawEmail / SendTemplatedEmail, and each accepted bulk destination). */
  accepted: Array<{ messageId: string; request: RecordedRequest; destination?: FakeBulkDestination }>;
  /** The account's stored templates, by name (CreateTemplate, UpdateTemplate, … act on it). */
  templates: Map<string, FakeTemplate>;
  /**
   * Scripts a SendBulkTemplatedEmail answer per destination: return a `BulkEmailStatus` other than
   * `Success` (and an `Error` text) to fail that destination; undefined → Success.
   */
  bulkStatus?: (destination: FakeBulkDestination, index: number) => { Status: string; Error?: string } | undefined;
  inFlight: number;
  maxInFlight: number;
  clockSkewMs: number;
  enqueue(...steps: FaultStep[]): void;
  /** Drops any scripted steps not used yet. */
  clearScript(): void;
  close(): Promise<void>;
}

export const FAKE_CREDENTIALS: FakeCredentials = { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake-secret-key' };
const NS = 'xmlns="http://ses.amazonaws.com/doc/2010-12-01/"';
const FIVE_MINUTES = 5 * 60_000;
const MAX_RAW_BYTES = 10 * 1024 * 1024;

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}

function errorXml(code: string, message: string, type: string, requestId: string): string {
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<ErrorResponse ${NS}><Error><Type>${type}</Type><Code>${code}</Code><Message>${escaped}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

export async function startFakeSes(options: FakeSesOptions = {}): Promise<FakeSes> {
  const region = options.region ?? 'us-east-1';
  const keys = new Map((options.credentials ?? [FAKE_CREDENTIALS]).map((c) => [c.accessKeyId, c]));
  const script: FaultStep[] = [];
  const sockets = new Set<Socket>();
  const hung = new Set<ServerResponse>();
  let counter = 0;

  const fake: FakeSes = {
    url: '',
    region,
    requests: [],
    accepted: [],
    templates: new Map(),
    inFlight: 0,
    maxInFlight: 0,
    clockSkewMs: options.clockSkewMs ?? 0,
    enqueue: (...steps) => script.push(...steps),
    clearScript: () => void script.splice(0),
    close: async () => {
      for (const res of hung) res.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const serverNow = () => Date.now() + fake.clockSkewMs;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const requestId = `req-${++counter}`;
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': 'text/xml',
        date: new Date(serverNow()).toUTCString(),
        'x-amzn-requestid': requestId,
        ...headers,
      });
      res.end(body);
    };
    const fail = (status: number, code: string, message: string, type = 'Sender') => send(status, errorXml(code, message, type, requestId));

    const params = Object.fromEntries(new URLSearchParams(rawBody));
    const record: RecordedRequest = { action: params.Action ?? '', params, headers: req.headers, rawBody, at: Date.now() };
    if (params['RawMessage.Data']) record.rawMime = Buffer.from(params['RawMessage.Data'], 'base64').toString('utf8');
    fake.requests.push(record);

    const step = script.shift();
    if (step === 'reset') return void req.socket.destroy();
    if (step === 'hang-headers') return void hung.add(res);
    if (step === 'stall-body') {
      hung.add(res);
      res.writeHead(200, { 'content-type': 'text/xml', 'content-length': '500' });
      res.write(`<${record.action}Response ${NS}><${record.action}Result>`);
      return;
    }
    if (step && typeof step === 'object' && 'delay' in step) await new Promise((r) => setTimeout(r, step.delay));
    else if (step && typeof step === 'object' && 'status' in step) return send(step.status, step.body, step.headers);
    else if (step && typeof step === 'object' && 'error' in step) {
      const e = step.error;
      return send(e.status ?? 400, errorXml(e.code, e.message, e.type ?? 'Sender', requestId), step.headers);
    }

    // Signature, as SES checks it.
    const auth = req.headers.authorization ?? '';
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m) return fail(403, 'IncompleteSignature', 'Authorization header is missing or malformed');
    const [, keyId, , scopeRegion, scopeService, signedHeaders] = m;
    const creds = keys.get(keyId!);
    if (!creds) return fail(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    if (creds.sessionToken !== undefined && req.headers['x-amz-security-token'] !== creds.sessionToken) {
      return fail(403, 'ExpiredToken', 'The security token included in the request is expired');
    }
    if (scopeRegion !== region || scopeService !== 'ses')
      return fail(
        403,
        'SignatureDoesNotMatch',
        `Credential should be scoped to a valid region / service ses, not ${scopeRegion}/${scopeService}.`,
      );
    const dateHeader = String(req.headers['x-amz-date'] ?? '');
    const signedAt = parseAmzDate(dateHeader);
    if (!Number.isFinite(signedAt)) return fail(400, 'MissingAuthenticationToken', 'x-amz-date is missing');
    // SES's two messages: the signer's clock behind SES's, or ahead of it.
    if (signedAt < serverNow() - FIVE_MINUTES) {
      return fail(
        403,
        'SignatureDoesNotMatch',
        `Signature expired: ${dateHeader} is now earlier than ${amzDate(serverNow() - FIVE_MINUTES)} (${amzDate(serverNow())} - 5 min.)`,
      );
    }
    if (signedAt > serverNow() + FIVE_MINUTES) {
      return fail(
        403,
        'SignatureDoesNotMatch',
        `Signature not yet current: ${dateHeader} is still later than ${amzDate(serverNow() + FIVE_MINUTES)} (${amzDate(serverNow())} + 5 min.)`,
      );
    }
    const headers: Record<string, string> = {};
    for (const name of signedHeaders!.split(';')) headers[name] = String(req.headers[name] ?? '');
    const signer = new SignatureV4({ credentials: creds, region, service: 'ses', sha256: NodeSha256, applyChecksum: false });
    const expected = await signer.sign(
      {
        method: req.method ?? 'POST',
        protocol: 'https:',
        hostname: String(req.headers.host),
        path: req.url ?? '/',
        headers,
        body: rawBody,
        query: {},
      },
      { signingDate: new Date(signedAt) },
    );
    if (expected.headers.authorization !== auth) {
      return fail(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }

    // The form body, as SES reads it ('+' would become a space).
    if (rawBody.includes('+')) return fail(400, 'InvalidParameterValue', 'Form body contains a raw "+"');
    if (params.Version !== '2010-12-01') return fail(400, 'InvalidParameterValue', 'Unsupported Version');

    switch (params.Action ?? '') {
      case 'GetSendQuota':
        return send(
          200,
          `<GetSendQuotaResponse ${NS}><GetSendQuotaResult><Max24HourSend>50000.0</Max24HourSend><MaxSendRate>${(options.maxSendRate ?? 14).toFixed(1)}</MaxSendRate><SentLast24Hours>${fake.accepted.length}.0</SentLast24Hours></GetSendQuotaResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetSendQuotaResponse>`,
        );
      case 'SendEmail':
      case 'SendRawEmail': {
        const recipients = Object.keys(params).filter((k) =>
          /^(Destination\.(To|Cc|Bcc)Addresses|Destinations)\.member\.\d+$/.test(k),
        ).length;
        if (recipients > 50) return fail(400, 'InvalidParameterValue', 'Recipient count exceeds 50.');
        if (params.Action === 'SendEmail' && !params.Source) return fail(400, 'InvalidParameterValue', 'Missing Source');
        if (params.Action === 'SendRawEmail' && (params['RawMessage.Data'] ?? '').length > MAX_RAW_BYTES) {
          return fail(400, 'InvalidParameterValue', 'Message length is more than 10485760 bytes long.');
        }
        const messageId = `0102${String(counter).padStart(12, '0')}-fake`;
        fake.accepted.push({ messageId, request: record });
        return send(
          200,
          `<${params.Action}Response ${NS}><${params.Action}Result><MessageId>${messageId}</MessageId></${params.Action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${params.Action}Response>`,
        );
      }
      case 'SendTemplatedEmail':
      case 'SendBulkTemplatedEmail':
      case 'ListTemplates':
      case 'GetTemplate':
      case 'CreateTemplate':
      case 'UpdateTemplate':
      case 'DeleteTemplate':
      case 'TestRenderTemplate': {
        const answer = templateAction(fake, params, record, () => `0102${String(counter).padStart(12, '0')}`);
        if ('error' in answer) return fail(400, answer.error.code, answer.error.message);
        return send(
          200,
          `<${params.Action}Response ${NS}><${params.Action}Result>${answer.xml}</${params.Action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${params.Action}Response>`,
        );
      }
      default:
        return fail(400, 'InvalidAction', `Could not find operation ${params.Action}`);
    }
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    fake.inFlight++;
    fake.maxInFlight = Math.max(fake.maxInFlight, fake.inFlight);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        fake.inFlight--;
      }
    };
    res.once('close', finish);
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500).end(`fake-ses failure: ${err.message}`);
    });
  };

  let server: Server;
  if (options.https) {
    const tls = await makeSelfSignedCert();
    server = createHttpsServer({ key: tls.key, cert: tls.cert }, listener);
    fake.ca = tls.cert;
  } else {
    server = createHttpServer(listener);
  }
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `${options.https ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

// ---------------------------------------------------------------- templates, as SES documents them

function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `Name.member.1`, `Name.member.2`, … in order. */
function members(params: Record<string, string>, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; params[`${prefix}.member.${i}`] !== undefined; i++) out.push(params[`${prefix}.member.${i}`]!);
  return out;
}

function tagsAt(params: Record<string, string>, prefix: string): Array<{ Name: string; Value: string }> {
  const out: Array<{ Name: string; Value: string }> = [];
  for (let i = 1; params[`${prefix}.member.${i}.Name`] !== undefined; i++)
    out.push({ Name: params[`${prefix}.member.${i}.Name`]!, Value: params[`${prefix}.member.${i}.Value`] ?? '' });
  return out;
}

function isJsonObject(text: string | undefined): boolean {
  if (text === undefined) return false;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

type TemplateAnswer = { xml: string } | { error: { code: string; message: string } };

const missingTemplate = (name: string): TemplateAnswer => ({
  error: { code: 'TemplateDoesNotExist', message: `Template ${name} does not exist.` },
});

/** `{{name}}` and `{{a.b}}` from the data; a missing one fails as SES's MissingRenderingAttribute does. */
function render(text: string, data: Record<string, unknown>): string {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, path: string) => {
    let v: unknown = data;
    for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    if (v === undefined)
      throw Object.assign(new Error(`Attribute '${path}' is not present in the rendering data.`), { code: 'MissingRenderingAttribute' });
    // SES renders with Handlebars, which prints any value with its toString(): an object as [object Object].
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    return String(v);
  });
}

function templateAction(fake: FakeSes, params: Record<string, string>, record: RecordedRequest, nextId: () => string): TemplateAnswer {
  const store = fake.templates;
  switch (params.Action ?? '') {
    case 'CreateTemplate':
    case 'UpdateTemplate': {
      const name = params['Template.TemplateName'];
      if (!name) return { error: { code: 'InvalidTemplate', message: 'Template name is required.' } };
      const existing = store.get(name);
      if (params.Action === 'CreateTemplate' && existing)
        return { error: { code: 'AlreadyExists', message: `Template ${name} already exists.` } };
      if (params.Action === 'UpdateTemplate' && !existing) return missingTemplate(name);
      const t: FakeTemplate = { TemplateName: name, CreatedTimestamp: existing?.CreatedTimestamp ?? new Date().toISOString() };
      for (const part of ['SubjectPart', 'TextPart', 'HtmlPart'] as const)
        if (params[`Template.${part}`] !== undefined) t[part] = params[`Template.${part}`];
      store.set(name, t);
      return { xml: '' };
    }
    case 'DeleteTemplate':
      store.delete(params.TemplateName ?? '');
      return { xml: '' };
    case 'GetTemplate': {
      const t = store.get(params.TemplateName ?? '');
      if (!t) return missingTemplate(params.TemplateName ?? '');
      const parts = (['SubjectPart', 'TextPart', 'HtmlPart'] as const)
        .map((p) => (t[p] === undefined ? '' : `<${p}>${xmlText(t[p])}</${p}>`))
        .join('');
      return { xml: `<Template><TemplateName>${xmlText(t.TemplateName)}</TemplateName>${parts}</Template>` };
    }
    case 'ListTemplates': {
      // SES: 10 per page unless MaxItems says otherwise, 100 at most.
      const size = Math.min(Number(params.MaxItems ?? 10) || 10, 100);
      const start = Number(params.NextToken ?? 0) || 0;
      const all = [...store.values()];
      const page = all.slice(start, start + size);
      const items = page
        .map((t) => `<member><Name>${xmlText(t.TemplateName)}</Name><CreatedTimestamp>${t.CreatedTimestamp}</CreatedTimestamp></member>`)
        .join('');
      const next = start + size < all.length ? `<NextToken>${start + size}</NextToken>` : '';
      return { xml: `<TemplatesMetadata>${items}</TemplatesMetadata>${next}` };
    }
    case 'TestRenderTemplate': {
      const t = store.get(params.TemplateName ?? '');
      if (!t) return missingTemplate(params.TemplateName ?? '');
      if (!isJsonObject(params.TemplateData))
        return { error: { code: 'InvalidRenderingParameter', message: 'Template data is not a valid JSON object.' } };
      try {
        const data = JSON.parse(params.TemplateData!) as Record<string, unknown>;
        const mime = [
          `Subject: ${render(t.SubjectPart ?? '', data)}`,
          'MIME-Version: 1.0',
          'Content-Type: multipart/alternative; boundary="fake"',
          '',
          '--fake',
          'Content-Type: text/plain; charset=UTF-8',
          '',
          render(t.TextPart ?? '', data),
          '--fake',
          'Content-Type: text/html; charset=UTF-8',
          '',
          render(t.HtmlPart ?? '', data),
          '--fake--',
          '',
        ].join('\r\n');
        return { xml: `<RenderedTemplate>${xmlText(mime)}</RenderedTemplate>` };
      } catch (err) {
        return { error: { code: (err as { code?: string }).code ?? 'InvalidRenderingParameter', message: (err as Error).message } };
      }
    }
    case 'SendTemplatedEmail': {
      if (!params.Source) return { error: { code: 'InvalidParameterValue', message: 'Missing Source' } };
      const recipients = ['To', 'Cc', 'Bcc'].reduce((n, k) => n + members(params, `Destination.${k}Addresses`).length, 0);
      if (recipients === 0 || recipients > 50)
        return { error: { code: 'InvalidParameterValue', message: `Recipient count is ${recipients}; 1 to 50 allowed.` } };
      if (!params.Template) return { error: { code: 'InvalidParameterValue', message: 'Missing Template' } };
      if (!store.has(params.Template)) return missingTemplate(params.Template);
      if (!isJsonObject(params.TemplateData))
        return { error: { code: 'InvalidParameterValue', message: 'TemplateData is not a valid JSON object.' } };
      const messageId = `${nextId()}-fake`;
      fake.accepted.push({ messageId, request: record });
      return { xml: `<MessageId>${messageId}</MessageId>` };
    }
    case 'SendBulkTemplatedEmail': {
      if (!params.Source) return { error: { code: 'InvalidParameterValue', message: 'Missing Source' } };
      if (!params.Template) return { error: { code: 'InvalidParameterValue', message: 'Missing Template' } };
      if (params.DefaultTemplateData === undefined)
        return { error: { code: 'InvalidParameterValue', message: 'Missing DefaultTemplateData' } };
      if (!store.has(params.Template)) return missingTemplate(params.Template);
      const destinations: FakeBulkDestination[] = [];
      for (let i = 1; Object.keys(params).some((k) => k.startsWith(`Destinations.member.${i}.`)); i++) {
        const p = `Destinations.member.${i}`;
        destinations.push({
          to: members(params, `${p}.Destination.ToAddresses`),
          cc: members(params, `${p}.Destination.CcAddresses`),
          bcc: members(params, `${p}.Destination.BccAddresses`),
          tags: tagsAt(params, `${p}.ReplacementTags`),
          data: params[`${p}.ReplacementTemplateData`],
        });
      }
      if (destinations.length === 0 || destinations.length > 50)
        return { error: { code: 'InvalidParameterValue', message: `Destinations count is ${destinations.length}; 1 to 50 allowed.` } };
      const entries = destinations.map((d, i) => {
        const n = d.to.length + d.cc.length + d.bcc.length;
        const scripted =
          n === 0 || n > 50 ? { Status: 'InvalidParameterValue', Error: 'Recipient count must be 1 to 50.' } : fake.bulkStatus?.(d, i);
        if (scripted && scripted.Status !== 'Success')
          return `<member><Status>${scripted.Status}</Status>${scripted.Error ? `<Error>${xmlText(scripted.Error)}</Error>` : ''}</member>`;
        const messageId = `${nextId()}-${i + 1}-fake`;
        fake.accepted.push({ messageId, request: record, destination: d });
        return `<member><Status>Success</Status><MessageId>${messageId}</MessageId></member>`;
      });
      return { xml: `<Status>${entries.join('')}</Status>` };
    }
    default:
      return { error: { code: 'InvalidAction', message: `Could not find operation ${params.Action}` } };
  }
}
