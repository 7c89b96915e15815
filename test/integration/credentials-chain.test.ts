// The credential chain's stop rules against real loopback servers (STS, container agent, instance
// metadata) and the signature-checking fake SES: a configured source that fails ends the chain with
// ECREDENTIALS and no other identity is asked; the chain is walked again from the top when credentials
// are loaded again; a failed refresh reaches the sender as ECREDENTIALS with the truth in `retryable`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { createCredentialsProvider } from '../../src/credentials-provider.js';
import { SesError, SesQueryTransport } from '../../src/index.js';
import { startFakeSes } from '../support/fake-ses.js';
import { startCredentialEndpoint, startStub, stsAnswer, type Stub } from '../support/http-stub.js';
import { rejection as failure } from '../support/rejection.js';

let dir: string;
let tokenFile: string;
const saved = { ...process.env };
const closers: Array<() => Promise<void>> = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ses-creds-chain-'));
  tokenFile = join(dir, 'web-token');
  writeFileSync(tokenFile, 'eyJ.WEB-IDENTITY-JWT.sig\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  // Restore exactly what this worker's environment held.
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  for (const close of closers.splice(0)) await close();
});

/** Only these AWS settings (plus a HOME with no ~/.aws), for this worker's process.env and for `env`. */
function awsEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && !/^(https?|no)_proxy$/i.test(k)) env[k] = v;
  return {
    ...env,
    HOME: dir,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
    AWS_CONFIG_FILE: join(dir, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

function useProcessEnv(env: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, env);
}

async function track<T extends Stub | { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const s = await server;
  closers.push(() => s.close());
  return s;
}

const WEB = { accessKeyId: 'ASIAWEB', secretAccessKey: 'web-secret', sessionToken: 'web-token' };
const CONT = { accessKeyId: 'ASIACONT', secretAccessKey: 'cont-secret', sessionToken: 'cont-token' };
const IMDS = { accessKeyId: 'ASIAIMDS', secretAccessKey: 'imds-secret', sessionToken: 'imds-token' };
const message = { from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't' };

function signedWith(req: { headers: Record<string, unknown> } | undefined): string | undefined {
  const authorization = req?.headers.authorization;
  return /Credential=([^/]+)\//.exec(typeof authorization === 'string' ? authorization : '')?.[1];
}

describe('a configured source that fails ends the chain', () => {
  it('web identity with STS down: ECREDENTIALS (retryable), the container is never asked; after STS recovers, the next send signs with STS credentials', async () => {
    const fake = await track(startFakeSes({ credentials: [WEB, CONT] }));
    let stsUp = false;
    const sts = await track(
      startStub((_req, res) => {
        if (!stsUp) {
          res.writeHead(503, { 'content-type': 'text/xml' });
          res.end(
            '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>Service is unavailable</Message></Error><RequestId>r1</RequestId></ErrorResponse>',
          );
          return;
        }
        stsAnswer(res, { ...WEB, expiration: new Date(Date.now() + 3_600_000) });
      }),
    );
    const container = await track(
      startCredentialEndpoint(() => ({ status: 200, credentials: { ...CONT, expiration: new Date(Date.now() + 3_600_000) } })),
    );
    useProcessEnv(
      awsEnv({
        AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
        AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/mailer',
        AWS_ENDPOINT_URL_STS: sts.url,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds`,
      }),
    );
    const transport = new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url });
    const t = nodemailer.createTransport(transport);
    closers.push(() => Promise.resolve(t.close()));

    const err = await failure(t.sendMail(message));
    expect(err.code).toBe('ECREDENTIALS');
    expect(err.retryable).toBe(true);
    expect(err.attempts).toBe(0); // no request reached SES
    expect(err.cause).toBeInstanceOf(SesError);
    expect(err.message).toContain('web identity');
    expect(err.message).toContain('ServiceUnavailable');
    expect(err.message).not.toContain('WEB-IDENTITY-JWT');
    expect(sts.requests.length).toBeGreaterThan(0);
    expect(container.requests).toHaveLength(0);
    expect(fake.requests).toHaveLength(0);

    stsUp = true;
    await t.sendMail(message);
    expect(signedWith(fake.requests.at(-1))).toBe('ASIAWEB');
    expect(transport.credentialSource).toContain('web identity');
    expect(container.requests).toHaveLength(0);
  });

  it('a container agent answering 500 ends the chain (retryable) and instance metadata is never asked', async () => {
    const container = await track(startCredentialEndpoint(() => ({ status: 500 })));
    const imds = await track(startImds());
    const env = awsEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds`, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });
    delete env.AWS_EC2_METADATA_DISABLED;
    const err = await failure(createCredentialsProvider(undefined, { env })());
    expect(err).toMatchObject({ code: 'ECREDENTIALS', retryable: true });
    expect(err.message).toContain('answered HTTP 500');
    expect(container.requests.length).toBeGreaterThan(0);
    expect(imds.requests).toHaveLength(0);
  });

  it('a container agent that does not answer ends the chain (retryable)', async () => {
    const imds = await track(startImds());
    const closed = await startStub((_req, res) => void res.end());
    const url = closed.url;
    await closed.close(); // nothing listens there now
    const env = awsEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${url}/creds`, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });
    delete env.AWS_EC2_METADATA_DISABLED;
    const err = await failure(createCredentialsProvider(undefined, { env })());
    expect(err).toMatchObject({ code: 'ECREDENTIALS', retryable: true });
    expect(err.message).toContain('did not answer');
    expect(imds.requests).toHaveLength(0);
  });

  it('a selected role_arn profile, a missing chosen profile and a crashing credential_process never fall through to the container', async () => {
    const container = await track(
      startCredentialEndpoint(() => ({ status: 200, credentials: { ...CONT, expiration: new Date(Date.now() + 3_600_000) } })),
    );
    const script = join(dir, 'crash.cjs');
    writeFileSync(script, 'process.exit(1)');
    const config = join(dir, 'config');
    writeFileSync(
      config,
      `[profile role]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n[profile crash]\ncredential_process = "${process.execPath}" "${script}"\n[profile regiononly]\nregion = eu-west-1\n`,
    );
    const base = { AWS_CONFIG_FILE: config, AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds` };

    const role = await failure(createCredentialsProvider(undefined, { env: awsEnv(base), profile: 'role' })());
    expect(role).toMatchObject({ code: 'ECREDENTIALS', retryable: false });
    expect(role.message).toContain('role_arn');
    const missing = await failure(createCredentialsProvider(undefined, { env: awsEnv({ ...base, AWS_PROFILE: 'nope' }) })());
    expect(missing.message).toContain('"nope" does not exist');
    const crash = await failure(createCredentialsProvider(undefined, { env: awsEnv({ ...base, AWS_PROFILE: 'crash' }) })());
    expect(crash.message).toContain('credential_process');
    expect(container.requests).toHaveLength(0);

    // A profile holding only a region is not a credentials configuration: the chain moves on.
    const moves = createCredentialsProvider(undefined, { env: awsEnv({ ...base, AWS_PROFILE: 'regiononly' }) });
    expect(await moves()).toMatchObject({ accessKeyId: 'ASIACONT' });
    expect(container.requests).toHaveLength(1);
  });

  it('credentials already expired when the container or STS hands them out are refused', async () => {
    const container = await track(
      startCredentialEndpoint(() => ({ status: 200, credentials: { ...CONT, expiration: new Date(Date.now() - 60_000) } })),
    );
    const cont = await failure(
      createCredentialsProvider(undefined, { env: awsEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds` }) })(),
    );
    expect(cont).toMatchObject({ code: 'ECREDENTIALS', retryable: false });
    expect(cont.message).toContain('expired at');

    const sts = await track(startStub((_req, res) => stsAnswer(res, { ...WEB, expiration: new Date(Date.now() - 60_000) })));
    const web = await failure(
      createCredentialsProvider(undefined, {
        env: awsEnv({ AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: 'arn:aws:iam::1:role/x', AWS_ENDPOINT_URL_STS: sts.url }),
        region: 'us-east-1',
      })(),
    );
    expect(web).toMatchObject({ code: 'ECREDENTIALS', retryable: false });
    expect(web.message).toContain('expired at');
    expect(web.message).not.toContain('web-secret');
  });
});

describe('failures after the first load', () => {
  it('each reload walks the chain from the top: no source is kept as the winner', async () => {
    const container = await track(
      startCredentialEndpoint(() => ({ status: 200, credentials: { ...CONT, expiration: new Date(Date.now() + 3_600_000) } })),
    );
    const sts = await track(startStub((_req, res) => stsAnswer(res, { ...WEB, expiration: new Date(Date.now() + 3_600_000) })));
    const env = awsEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds` });
    const p = createCredentialsProvider(undefined, { env, region: 'us-east-1' });
    expect(await p()).toMatchObject({ accessKeyId: 'ASIACONT' });
    expect(p.source).toBe('container credentials');
    // Web identity, higher in the chain, becomes configured; the next load (here forced, as after
    // SES's ExpiredToken) must use it.
    Object.assign(env, { AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: 'arn:aws:iam::1:role/x', AWS_ENDPOINT_URL_STS: sts.url });
    expect(await p({ forceRefresh: true })).toMatchObject({ accessKeyId: 'ASIAWEB' });
    expect(p.source).toContain('web identity');
    expect(container.requests).toHaveLength(1);
  });

  it('a failed refresh after the credentials expired reaches the sender as ECREDENTIALS (retryable), not EPROTOCOL', async () => {
    const fake = await track(startFakeSes({ credentials: [CONT] }));
    let answer: 'short' | 'down' = 'short';
    const container = await track(
      startCredentialEndpoint(() =>
        answer === 'short' ? { status: 200, credentials: { ...CONT, expiration: new Date(Date.now() + 1500) } } : { status: 500 },
      ),
    );
    useProcessEnv(awsEnv({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/creds` }));
    const t = nodemailer.createTransport(new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url }));
    closers.push(() => Promise.resolve(t.close()));

    await t.sendMail(message);
    expect(signedWith(fake.requests.at(-1))).toBe('ASIACONT');
    answer = 'down';
    // Wait until the 1.5 s credentials have expired (a refresh inside their lifetime would keep them).
    expect(container.lastExpiration).toBeInstanceOf(Date);
    while (Date.now() <= container.lastExpiration!.getTime()) await new Promise((r) => setTimeout(r, 50));

    const err = await failure(t.sendMail(message));
    expect(err.code).toBe('ECREDENTIALS');
    expect(err.retryable).toBe(true);
    expect(err.attempts).toBe(0);
    expect(err.cause).toBeDefined();
    expect(err.message).toContain('answered HTTP 500');
    expect(err.message).not.toContain('cont-secret');
    expect(fake.requests).toHaveLength(1);
  });

  it('the explicit profile option signs instead of the environment keys', async () => {
    const fake = await track(
      startFakeSes({
        credentials: [
          { accessKeyId: 'AKIDENV', secretAccessKey: 'env-secret' },
          { accessKeyId: 'AKIDWORK', secretAccessKey: 'work-secret' },
        ],
      }),
    );
    const credentials = join(dir, 'credentials');
    writeFileSync(credentials, '[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = work-secret\n');
    useProcessEnv(awsEnv({ AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret' }));
    const t = nodemailer.createTransport(new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url, profile: 'work' }));
    closers.push(() => Promise.resolve(t.close()));
    await t.sendMail(message);
    expect(signedWith(fake.requests.at(-1))).toBe('AKIDWORK');
  });
});

/** IMDSv2 on loopback, answering with IMDS credentials; records every request. */
function startImds(): Promise<Stub> {
  return startStub((req, res) => {
    if (req.method === 'PUT' && req.url === '/latest/api/token') return void res.end('imds-token');
    if (req.url === '/latest/meta-data/iam/security-credentials/') return void res.end('role');
    res.end(
      JSON.stringify({
        Code: 'Success',
        AccessKeyId: IMDS.accessKeyId,
        SecretAccessKey: IMDS.secretAccessKey,
        Token: IMDS.sessionToken,
        Expiration: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
  });
}
