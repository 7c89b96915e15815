// A tiny scripted HTTP server on loopback for credential endpoints (STS, container agent, IMDS) and a
// forward proxy. Records every request.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface StubRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Stub {
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

async function listen(server: Server, sockets: Set<Socket>): Promise<string> {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server, sockets: Set<Socket>) {
  return async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

export async function startStub(handler: (req: StubRequest, res: ServerResponse) => void): Promise<Stub> {
  const requests: StubRequest[] = [];
  const sockets = new Set<Socket>();
  const record = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    requests.push(recorded);
    handler(recorded, res);
  };
  // The server does not wait for a listener's promise; a failure stays an unhandled rejection, which vitest reports.
  const server = createServer((req, res) => void record(req, res));
  const url = await listen(server, sockets);
  return { url, requests, close: closer(server, sockets) };
}

/** A forward proxy: absolute-form HTTP requests and CONNECT tunnels, each recorded. */
export async function startProxy(): Promise<Stub> {
  const requests: StubRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' });
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: target.pathname + target.search, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    requests.push({ method: 'CONNECT', url: req.url ?? '', headers: req.headers, body: '' });
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const url = await listen(server, sockets);
  return { url, requests, close: closer(server, sockets) };
}

export interface StubCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** Writes STS's AssumeRoleWithWebIdentity success answer. */
export function stsAnswer(res: ServerResponse, c: StubCredentials): void {
  res.writeHead(200, { 'content-type': 'text/xml' });
  res.end(
    `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>${c.accessKeyId}</AccessKeyId><SecretAccessKey>${c.secretAccessKey}</SecretAccessKey><SessionToken>${c.sessionToken}</SessionToken><Expiration>${c.expiration.toISOString()}</Expiration></Credentials></AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>sts-1</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`,
  );
}

/**
 * A container credentials agent: each request gets what `next()` says (a status, and credentials
 * for a 200). `lastExpiration` is the expiration of the credentials it handed out last.
 */
export async function startCredentialEndpoint(
  next: () => { status: number; credentials?: StubCredentials },
): Promise<Stub & { lastExpiration: Date | undefined }> {
  const endpoint: { lastExpiration: Date | undefined } = { lastExpiration: undefined };
  const stub = await startStub((_req, res) => {
    const { status, credentials: c } = next();
    if (status !== 200 || !c) return void res.writeHead(status, { 'content-type': 'application/json' }).end('{"message":"agent failure"}');
    endpoint.lastExpiration = c.expiration;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        AccessKeyId: c.accessKeyId,
        SecretAccessKey: c.secretAccessKey,
        Token: c.sessionToken,
        Expiration: c.expiration.toISOString(),
      }),
    );
  });
  return Object.defineProperty(stub, 'lastExpiration', { get: () => endpoint.lastExpiration, enumerable: true }) as Stub & {
    lastExpiration: Date | undefined;
  };
}
