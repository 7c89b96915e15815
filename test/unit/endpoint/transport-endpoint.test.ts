// The transport's wiring of region and endpoint: the profile's region handed in by the transport,
// the rule-set hosts, refusals at construction, and configured endpoint URLs used for real requests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SesError, SesQueryTransport } from '../../../src/index.js';
import { FAKE_CREDENTIALS, startFakeSes, type FakeSes } from '../../support/fake-ses.js';

/** The SesError a call throws, or undefined when it throws nothing or something else. */
function thrownBy(fn: () => unknown): SesError | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof SesError) return err;
  }
  return undefined;
}

let dir: string;
let fake: FakeSes;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ses-endpoint-'));
  fake = await startFakeSes();
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const VARS = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_SES',
  'AWS_USE_FIPS_ENDPOINT',
  'AWS_USE_DUALSTACK_ENDPOINT',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
];
beforeEach(() => {
  for (const name of VARS) vi.stubEnv(name, undefined);
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'none'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'none'));
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function made(options: ConstructorParameters<typeof SesQueryTransport>[0]): Promise<{ region: string; endpoint: string }> {
  const t = new SesQueryTransport({ credentials: FAKE_CREDENTIALS, ...options });
  try {
    return { region: t.region, endpoint: t.endpoint.href };
  } finally {
    await t.close();
  }
}

describe('SesQueryTransport region and endpoint', () => {
  it('takes the region from the chosen profile when nothing else names one', async () => {
    const config = join(dir, 'config');
    writeFileSync(config, '[default]\nregion = us-west-2\n[profile sovereign]\nregion = eusc-de-east-1\n');
    vi.stubEnv('AWS_CONFIG_FILE', config);
    expect(await made({ profile: 'sovereign' })).toEqual({
      region: 'eusc-de-east-1',
      endpoint: 'https://email.eusc-de-east-1.amazonaws.eu/',
    });
    expect(await made({})).toEqual({ region: 'us-west-2', endpoint: 'https://email.us-west-2.amazonaws.com/' });
    vi.stubEnv('AWS_DEFAULT_REGION', 'eu-west-2');
    expect((await made({ profile: 'sovereign' })).region).toBe('eu-west-2');
  });

  it('refuses FIPS or dual-stack with a custom endpoint at construction', () => {
    const fips = thrownBy(
      () => new SesQueryTransport({ region: 'eu-west-1', endpoint: fake.url, useFipsEndpoint: true, credentials: FAKE_CREDENTIALS }),
    );
    expect(fips?.code).toBe('ECONFIG');
    expect(fips?.message).toContain('FIPS and custom endpoint are not supported');
    vi.stubEnv('AWS_ENDPOINT_URL_SES', fake.url);
    vi.stubEnv('AWS_USE_DUALSTACK_ENDPOINT', 'true');
    const dualStack = thrownBy(() => new SesQueryTransport({ region: 'eu-west-1', credentials: FAKE_CREDENTIALS }));
    expect(dualStack?.code).toBe('ECONFIG');
    expect(dualStack?.message).toContain('Dualstack and custom endpoint are not supported');
  });

  it('sends to AWS_ENDPOINT_URL when AWS_ENDPOINT_URL_SES is set but empty', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_SES', '');
    vi.stubEnv('AWS_ENDPOINT_URL', fake.url);
    const t = new SesQueryTransport({ region: 'us-east-1', credentials: FAKE_CREDENTIALS });
    try {
      expect(t.endpoint.href).toBe(new URL(fake.url).href.replace(/\/?$/, '/'));
      await expect(t.verify()).resolves.toBe(true);
    } finally {
      await t.close();
    }
  });

  it('ignores AWS_ENDPOINT_URL* when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true, but not the endpoint option', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_SES', 'https://ses.internal.example');
    vi.stubEnv('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'true');
    expect((await made({ region: 'eu-west-1' })).endpoint).toBe('https://email.eu-west-1.amazonaws.com/');
    const t = new SesQueryTransport({ region: 'us-east-1', endpoint: fake.url, credentials: FAKE_CREDENTIALS });
    try {
      await expect(t.verify()).resolves.toBe(true);
    } finally {
      await t.close();
    }
  });
});
