import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialsProvider } from '../../../src/credentials-provider.js';
import { cacheCredentials } from '../../../src/credentials/cache.js';
import { parseIni } from '../../../src/credentials/ini.js';
import { SesError } from '../../../src/errors.js';
import { rejection as failure } from '../../support/rejection.js';

let home: string;
beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'ses-creds-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** An environment with nothing but a HOME and no metadata service to reach. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { HOME: home, AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

function files(name: string, credentials: string, config = ''): Record<string, string> {
  const dir = join(home, name);
  const c = join(home, `${name}.credentials`);
  const f = join(home, `${name}.config`);
  writeFileSync(c, credentials);
  writeFileSync(f, config);
  void dir;
  return { AWS_SHARED_CREDENTIALS_FILE: c, AWS_CONFIG_FILE: f };
}

function silentLogger() {
  const noop = () => {};
  return { trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop };
}

describe('parseIni', () => {
  it('reads sections, ignores comments and nested sub-sections', () => {
    expect(
      parseIni(
        '# c\n[default]\nregion = eu-west-1\n; c\ns3 =\n  max_concurrent_requests = 10\naws_access_key_id=AKID\n[profile x]\nregion=us-east-2',
      ),
    ).toEqual({
      default: { region: 'eu-west-1', aws_access_key_id: 'AKID' },
      'profile x': { region: 'us-east-2' },
    });
  });
});

describe('the chain', () => {
  it('takes the environment first, with a session token', async () => {
    const p = createCredentialsProvider(undefined, {
      env: env({ AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_SESSION_TOKEN: 'tok' }),
    });
    expect(await p()).toEqual({ accessKeyId: 'AKIDENV', secretAccessKey: 'env-secret', sessionToken: 'tok' });
    expect(p.source).toBe('environment');
  });

  it('reads the default profile, a named profile and [profile x] sections in config', async () => {
    const f = files(
      'a',
      '[default]\naws_access_key_id = AKIDDEF\naws_secret_access_key = def-secret\n[work]\naws_access_key_id=AKIDWORK\naws_secret_access_key=work-secret\naws_session_token=work-token\n',
      '[profile cfg]\naws_access_key_id=AKIDCFG\naws_secret_access_key=cfg-secret\n',
    );
    expect(await createCredentialsProvider(undefined, { env: env(f) })()).toMatchObject({ accessKeyId: 'AKIDDEF' });
    expect(await createCredentialsProvider(undefined, { env: env({ ...f, AWS_PROFILE: 'work' }) })()).toEqual({
      accessKeyId: 'AKIDWORK',
      secretAccessKey: 'work-secret',
      sessionToken: 'work-token',
    });
    const cfg = createCredentialsProvider(undefined, { env: env(f), profile: 'cfg' });
    expect(await cfg()).toMatchObject({ accessKeyId: 'AKIDCFG' });
    expect(cfg.source).toBe('shared files (profile cfg)');
  });

  it('runs credential_process and reads its JSON', async () => {
    const script = join(home, 'creds.cjs');
    writeFileSync(
      script,
      `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIDPROC', SecretAccessKey: 'proc-secret', SessionToken: 'proc-token', Expiration: '2099-01-01T00:00:00Z' }))`,
    );
    const f = files('b', '', `[profile proc]\ncredential_process = "${process.execPath}" "${script}"\n`);
    const c = await createCredentialsProvider(undefined, { env: env({ ...f, AWS_PROFILE: 'proc' }) })();
    expect(c).toEqual({
      accessKeyId: 'AKIDPROC',
      secretAccessKey: 'proc-secret',
      sessionToken: 'proc-token',
      expiration: new Date('2099-01-01T00:00:00Z'),
    });
  });

  it('lists every source and why it gave nothing when none is configured', async () => {
    const f = files(
      'c',
      '[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = OTHER-SECRET\n',
      '[default]\nregion = eu-west-1\n',
    );
    const none = await failure(createCredentialsProvider(undefined, { env: env(f) })());
    expect(none.code).toBe('ECREDENTIALS');
    expect(none.retryable).toBe(false);
    for (const source of ['environment', 'shared files', 'web identity', 'container credentials', 'EC2 instance metadata'])
      expect(none.message).toContain(source);
    expect(none.message).toContain('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set');
    expect(none.message).toContain('has no keys and no credential_process'); // [default] holds only a region: not configured
    expect(none.message).not.toContain('OTHER-SECRET');
    const missing = await failure(
      createCredentialsProvider(undefined, {
        env: env({ AWS_SHARED_CREDENTIALS_FILE: join(home, 'missing'), AWS_CONFIG_FILE: join(home, 'missing2') }),
      })(),
    );
    expect(missing.message).toContain('neither');
  });

  it('ends the chain at a configured source that fails, naming it, without secrets', async () => {
    const script = join(home, 'bad.sh');
    writeFileSync(script, '#!/bin/sh\necho "LEAKED-SECRET not json"\n');
    chmodSync(script, 0o755);
    const f = files(
      'c2',
      '[half]\naws_secret_access_key = HALF-SECRET\n',
      `[profile broken]\ncredential_process = ${script}\n[profile role]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n[profile sso]\nsso_session = corp\n`,
    );
    const half = await failure(createCredentialsProvider(undefined, { env: env({ ...f, AWS_PROFILE: 'half' }) })());
    expect(half).toMatchObject({ code: 'ECREDENTIALS', retryable: false });
    expect(half.message).toContain('no aws_access_key_id');
    expect(half.message).toContain('shared files (profile half)');
    expect(half.message).not.toContain('web identity'); // not a list: the chain stopped here
    expect(half.message).not.toContain('HALF-SECRET');

    const halfEnv = await failure(createCredentialsProvider(undefined, { env: env({ ...f, AWS_SECRET_ACCESS_KEY: 'ENV-SECRET' }) })());
    expect(halfEnv.message).toBe('environment: AWS_ACCESS_KEY_ID is not set (the other one is)');

    const broken = await failure(createCredentialsProvider(undefined, { env: env({ ...f, AWS_PROFILE: 'broken' }) })());
    expect(broken).toMatchObject({ code: 'ECREDENTIALS', retryable: false });
    expect(broken.message).toContain('not JSON');
    expect(broken.message).not.toContain('LEAKED-SECRET');
    const role = await failure(createCredentialsProvider(undefined, { env: env({ ...f, AWS_PROFILE: 'role' }) })());
    expect(role.message).toContain('role_arn');
    expect(role.message).toContain('"credentials" function');
    const sso = await failure(createCredentialsProvider(undefined, { env: env(f), profile: 'sso' })());
    expect(sso.message).toContain('uses SSO');
    const chosen = await failure(createCredentialsProvider(undefined, { env: env({ ...f, AWS_PROFILE: 'nope' }) })());
    expect(chosen.message).toContain('the chosen profile "nope" does not exist');
  });
});

describe('profile and environment keys', () => {
  const envKeys = { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret' };

  it('an explicit profile option wins over AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY', async () => {
    const f = files('p', '[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = work-secret\n');
    const p = createCredentialsProvider(undefined, { env: env({ ...f, ...envKeys }), profile: 'work' });
    expect(await p()).toEqual({ accessKeyId: 'AKIDWORK', secretAccessKey: 'work-secret' });
    expect(p.source).toBe('shared files (profile work)');
  });

  it('AWS_PROFILE alone leaves the environment keys first (botocore), and says so once', async () => {
    const f = files('q', '[work]\naws_access_key_id = AKIDWORK\naws_secret_access_key = work-secret\n');
    const warnings: string[] = [];
    const logger = {
      ...silentLogger(),
      warn: (_e: unknown, message: string, ...args: unknown[]) => void warnings.push(`${message} ${args.join(' ')}`),
    };
    const p = createCredentialsProvider(undefined, { env: env({ ...f, ...envKeys, AWS_PROFILE: 'work' }), logger });
    expect(await p()).toEqual({ accessKeyId: 'AKIDENV', secretAccessKey: 'env-secret' });
    expect(p.source).toBe('environment');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('AWS_PROFILE');
    expect(warnings[0]).not.toContain('env-secret');
  });
});

describe('credential_process', () => {
  function processProfile(name: string, body: string): Record<string, string> {
    const script = join(home, `${name}.cjs`);
    writeFileSync(script, body);
    return files(name, '', `[profile ${name}]\ncredential_process = "${process.execPath}" "${script}"\n`);
  }

  it('refuses credentials that expired before they were handed out', async () => {
    const runs = join(home, 'expired-runs');
    writeFileSync(runs, '');
    const f = processProfile(
      'expired',
      `require('fs').appendFileSync(${JSON.stringify(runs)}, 'x'); process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIDOLD', SecretAccessKey: 'old-secret', SessionToken: 'old-token', Expiration: '2020-01-01T00:00:00Z' }))`,
    );
    const p = createCredentialsProvider(undefined, { env: env({ ...f, AWS_PROFILE: 'expired' }) });
    const err = await failure(p());
    expect(err).toMatchObject({ code: 'ECREDENTIALS', retryable: false });
    expect(err.message).toContain('expired at 2020-01-01T00:00:00.000Z');
    expect(err.message).not.toContain('old-secret');
    expect(err.message).not.toContain('old-token');
  });

  it('a crashing command ends the chain with ECREDENTIALS', async () => {
    const f = processProfile('crash', `process.stderr.write('boom'); process.exit(3)`);
    const err = await failure(createCredentialsProvider(undefined, { env: env({ ...f, AWS_PROFILE: 'crash' }) })());
    expect(err).toMatchObject({ code: 'ECREDENTIALS', retryable: false });
    expect(err.message).toContain('exited with code 3');
  });
});

describe('prototype safety of the INI reader', () => {
  it('ignores __proto__, constructor and prototype as sections and keys', () => {
    const parsed = parseIni(
      '[__proto__]\nregion = x\n[profile constructor]\nregion = y\n[default]\n__proto__ = z\nconstructor = w\nregion = eu-west-1\n[prototype]\npolluted = yes\n',
    );
    expect(({} as Record<string, unknown>).region).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(parsed)).toEqual(['default']);
    expect(Object.keys(parsed.default!)).toEqual(['region']);
    expect(Object.getPrototypeOf(parsed)).toBeNull();
  });

  it('a profile named after a prototype key is simply not there', async () => {
    const f = files(
      'proto',
      '[__proto__]\naws_access_key_id = AKIDPROTO\naws_secret_access_key = proto-secret\n',
      '[profile __proto__]\nregion = x\n',
    );
    const err = await failure(createCredentialsProvider(undefined, { env: env({ ...f, AWS_PROFILE: 'constructor' }) })());
    expect(err.message).toContain('"constructor" does not exist');
    expect(({} as Record<string, unknown>).region).toBeUndefined();
    expect(({} as Record<string, unknown>).aws_access_key_id).toBeUndefined();
  });
});

describe('the cache', () => {
  it('shares one refresh among 100 concurrent callers and refreshes before expiry', async () => {
    let now = 0;
    let loads = 0;
    const provider = cacheCredentials(
      async () => {
        loads++;
        await new Promise((r) => setTimeout(r, 5));
        return { accessKeyId: `AKID${loads}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date(now + 3_600_000) };
      },
      { now: () => now },
    );
    const first = await Promise.all(Array.from({ length: 100 }, () => provider()));
    expect(loads).toBe(1);
    expect(new Set(first.map((c) => c.accessKeyId))).toEqual(new Set(['AKID1']));
    now += 3_600_000 - 4 * 60_000; // inside the 5-minute window
    const second = await Promise.all(Array.from({ length: 100 }, () => provider()));
    expect(loads).toBe(2);
    expect(second.every((c) => c.accessKeyId === 'AKID2')).toBe(true);
  });

  it('keeps still-valid credentials when a refresh fails, and fails once they expire', async () => {
    let now = 0;
    let fail = false;
    const provider = cacheCredentials(
      () => {
        if (fail) return Promise.reject(new Error('sts down'));
        return Promise.resolve({ accessKeyId: 'AKID', secretAccessKey: 's', expiration: new Date(now + 600_000) });
      },
      { now: () => now },
    );
    await provider();
    fail = true;
    now += 400_000; // 200 s left: due for refresh, still valid
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKID' });
    now += 300_000; // expired
    const err = await failure(provider());
    expect(err).toMatchObject({ code: 'ECREDENTIALS', retryable: false, message: 'sts down' });
    expect((err.cause as Error).message).toBe('sts down');
  });

  it('reloads on forceRefresh and calls a credentials function again before its expiration', async () => {
    let calls = 0;
    const p = createCredentialsProvider(() =>
      Promise.resolve({ accessKeyId: `AKID${++calls}`, secretAccessKey: 's', expiration: new Date(Date.now() + 1000) }),
    );
    expect((await p()).accessKeyId).toBe('AKID1');
    expect((await p()).accessKeyId).toBe('AKID2'); // within 5 minutes of expiry: refreshed
    expect((await p({ forceRefresh: true })).accessKeyId).toBe('AKID3');
    expect(p.source).toBe('option (function)');
  });
});

describe('the cache with the chain', () => {
  it('keeps the cause and the retryable flag of a failed refresh, as ECREDENTIALS', async () => {
    let now = 0;
    let fail = false;
    const provider = cacheCredentials(
      () => {
        if (fail) return Promise.reject(new SesError('STS said ServiceUnavailable', { code: 'ServiceUnavailable', statusCode: 503 }));
        return Promise.resolve({ accessKeyId: 'AKID', secretAccessKey: 's', expiration: new Date(now + 60_000) });
      },
      { now: () => now },
    );
    await provider();
    fail = true;
    now += 120_000;
    const err = await failure(provider());
    expect(err).toMatchObject({ code: 'ECREDENTIALS', retryable: true });
    expect((err.cause as SesError).code).toBe('ServiceUnavailable');
  });
});
