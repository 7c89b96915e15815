// Credential sources that talk HTTP, each against a loopback server the test starts; and a forward
// proxy that SES requests are shown to pass through.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { createCredentialsProvider } from '../../src/credentials-provider.js';
import { SesQueryTransport } from '../../src/index.js';
import { FAKE_CREDENTIALS, startFakeSes } from '../support/fake-ses.js';
import { closeTransporter } from '../support/close-transporter.js';
import { startProxy, startStub } from '../support/http-stub.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ses-creds-int-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  HOME: dir,
  AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
  AWS_CONFIG_FILE: join(dir, 'none'),
  AWS_EC2_METADATA_DISABLED: 'true',
  ...extra,
});

describe('web identity', () => {
  it('calls STS unsigned with the token and role, and reads the XML answer', async () => {
    const sts = await startStub((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAWEB</AccessKeyId><SecretAccessKey>web-secret</SecretAccessKey><SessionToken>web-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`,
      );
    });
    try {
      const tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, 'eyJ.jwt.token\n');
      const p = createCredentialsProvider(undefined, {
        env: base({
          AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
          AWS_ROLE_ARN: 'arn:aws:iam::123:role/mailer',
          AWS_ROLE_SESSION_NAME: 'pod-1',
          AWS_ENDPOINT_URL_STS: sts.url,
        }),
        region: 'eu-west-1',
      });
      expect(await p()).toEqual({
        accessKeyId: 'ASIAWEB',
        secretAccessKey: 'web-secret',
        sessionToken: 'web-token',
        expiration: new Date('2099-01-01T00:00:00Z'),
      });
      expect(p.source).toContain('web identity');
      const req = sts.requests[0]!;
      expect(req.method).toBe('POST');
      expect(req.headers.authorization).toBeUndefined();
      expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
        Action: 'AssumeRoleWithWebIdentity',
        Version: '2011-06-15',
        RoleArn: 'arn:aws:iam::123:role/mailer',
        RoleSessionName: 'pod-1',
        WebIdentityToken: 'eyJ.jwt.token',
      });
    } finally {
      await sts.close();
    }
  });
});

describe('container credentials', () => {
  it('sends the token, re-reads the token file each time, and refuses a non-local http URI', async () => {
    const agent = await startStub((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          AccessKeyId: 'ASIACONT',
          SecretAccessKey: 'cont-secret',
          Token: 'cont-token',
          Expiration: new Date(Date.now() + 60_000).toISOString(),
        }),
      );
    });
    try {
      const direct = createCredentialsProvider(undefined, {
        env: base({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc', AWS_CONTAINER_AUTHORIZATION_TOKEN: 'token-a' }),
        containerBase: agent.url,
      });
      expect(await direct()).toMatchObject({ accessKeyId: 'ASIACONT', sessionToken: 'cont-token' });
      expect(agent.requests[0]).toMatchObject({ method: 'GET', url: '/v2/credentials/abc' });
      expect(agent.requests[0]!.headers.authorization).toBe('token-a');

      const tokenFile = join(dir, 'pod-token');
      writeFileSync(tokenFile, 'token-b');
      const fromFile = createCredentialsProvider(undefined, {
        env: base({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${agent.url}/full`, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile }),
      });
      await fromFile();
      writeFileSync(tokenFile, 'token-c');
      await fromFile({ forceRefresh: true });
      expect(agent.requests.slice(1).map((r) => r.headers.authorization)).toEqual(['token-b', 'token-c']);

      const refused = createCredentialsProvider(undefined, {
        env: base({ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://example.com/creds' }),
      });
      await expect(refused()).rejects.toThrow(/not allowed/);
    } finally {
      await agent.close();
    }
  });
});

describe('EC2 instance metadata (IMDSv2)', () => {
  it('gets a token, the role and its credentials', async () => {
    const imds = await startStub((req, res) => {
      if (req.method === 'PUT' && req.url === '/latest/api/token') return void res.end('imds-token');
      if (req.headers['x-aws-ec2-metadata-token'] !== 'imds-token') return void res.writeHead(401).end();
      if (req.url === '/latest/meta-data/iam/security-credentials/') return void res.end('mailer-role');
      if (req.url === '/latest/meta-data/iam/security-credentials/mailer-role') {
        return void res.end(
          JSON.stringify({
            Code: 'Success',
            AccessKeyId: 'ASIAIMDS',
            SecretAccessKey: 'imds-secret',
            Token: 'imds-session',
            Expiration: '2099-01-01T00:00:00Z',
          }),
        );
      }
      res.writeHead(404).end();
    });
    try {
      const env = base({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });
      delete env.AWS_EC2_METADATA_DISABLED;
      const p = createCredentialsProvider(undefined, { env });
      expect(await p()).toMatchObject({ accessKeyId: 'ASIAIMDS', sessionToken: 'imds-session' });
      expect(imds.requests[0]!.headers['x-aws-ec2-metadata-token-ttl-seconds']).toBe('21600');
    } finally {
      await imds.close();
    }
  });

  it('fails fast when nothing answers', async () => {
    const env = base({ AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:9' });
    delete env.AWS_EC2_METADATA_DISABLED;
    await expect(createCredentialsProvider(undefined, { env })()).rejects.toMatchObject({ code: 'ECREDENTIALS' });
  });
});

describe('proxies', () => {
  it('sends SES requests through HTTP_PROXY when set', async () => {
    const fake = await startFakeSes();
    const proxy = await startProxy();
    const saved = { ...process.env };
    process.env.HTTP_PROXY = proxy.url;
    process.env.HTTPS_PROXY = proxy.url;
    try {
      const t = nodemailer.createTransport(
        new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url, credentials: FAKE_CREDENTIALS }),
      );
      await t.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 's', text: 't' });
      await closeTransporter(t);
      expect(proxy.requests.length).toBeGreaterThan(0);
      expect(proxy.requests[0]!.url).toContain(new URL(fake.url).host);
      expect(fake.accepted).toHaveLength(1);
    } finally {
      process.env.HTTP_PROXY = saved.HTTP_PROXY;
      process.env.HTTPS_PROXY = saved.HTTPS_PROXY;
      if (saved.HTTP_PROXY === undefined) delete process.env.HTTP_PROXY;
      if (saved.HTTPS_PROXY === undefined) delete process.env.HTTPS_PROXY;
      await proxy.close();
      await fake.close();
    }
  });
});
