/**
 * Region and endpoint resolution, as the AWS SDKs do it. Knows nothing of credentials.
 */
import { isIP } from 'node:net';
import { configError } from './errors.js';
import { profileRegion } from './credentials/shared-files.js';

const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d+$|^[a-z0-9-]+$/;

/** `region` option → `AWS_REGION` → `AWS_DEFAULT_REGION` → the profile's `region`. Synchronous. */
export function resolveRegion(options: { region?: string; profile?: string; env?: NodeJS.ProcessEnv }): string | undefined {
  const env = options.env ?? process.env;
  const region = options.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || profileRegion(env, options.profile);
  if (region === undefined) return undefined;
  if (!REGION_SHAPE.test(region)) throw configError(`"${region}" is not an AWS region name`);
  return region;
}

interface Partition {
  test: (region: string) => boolean;
  dnsSuffix: string;
  dualstackSuffix: string;
}

// The partitions SES runs in; the first match wins.
const PARTITIONS: Partition[] = [
  { test: (r) => r.startsWith('cn-'), dnsSuffix: 'amazonaws.com.cn', dualstackSuffix: 'api.amazonwebservices.com.cn' },
  { test: (r) => r.startsWith('us-iso-'), dnsSuffix: 'c2s.ic.gov', dualstackSuffix: 'c2s.ic.gov' },
  { test: (r) => r.startsWith('us-isob-'), dnsSuffix: 'sc2s.sgov.gov', dualstackSuffix: 'sc2s.sgov.gov' },
  { test: () => true, dnsSuffix: 'amazonaws.com', dualstackSuffix: 'api.aws' },
];

function flag(option: boolean | undefined, value: string | undefined): boolean {
  return option ?? value?.toLowerCase() === 'true';
}

/** True for loopback hosts, where plain HTTP is allowed (local emulators, tests). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * `endpoint` option → `AWS_ENDPOINT_URL_SES` (or `_STS`) → `AWS_ENDPOINT_URL` → derived from the
 * region, FIPS and dual-stack settings. `http://` only for loopback hosts.
 */
export function resolveEndpoint(options: {
  endpoint?: string | URL;
  region: string;
  service?: 'email' | 'sts';
  useFipsEndpoint?: boolean;
  useDualstackEndpoint?: boolean;
  env?: NodeJS.ProcessEnv;
}): URL {
  const env = options.env ?? process.env;
  const service = options.service ?? 'email';
  const given = options.endpoint ?? (service === 'email' ? env.AWS_ENDPOINT_URL_SES : env.AWS_ENDPOINT_URL_STS) ?? env.AWS_ENDPOINT_URL;
  let url: URL;
  if (given !== undefined && given !== '') {
    try {
      url = new URL(String(given));
    } catch (cause) {
      throw configError(`Endpoint "${String(given)}" is not a URL`, cause);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw configError(`Endpoint "${url.href}" must be https://`);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      throw configError(`Endpoint "${url.href}" uses http://, which is allowed only for loopback hosts; use https://`);
    }
    if (url.search || url.hash) throw configError(`Endpoint "${url.href}" must not have a query or fragment`);
  } else {
    const fips = flag(options.useFipsEndpoint, env.AWS_USE_FIPS_ENDPOINT);
    const dualstack = flag(options.useDualstackEndpoint, env.AWS_USE_DUALSTACK_ENDPOINT);
    const partition = PARTITIONS.find((p) => p.test(options.region))!;
    const prefix = fips ? `${service}-fips` : service;
    const suffix = dualstack ? partition.dualstackSuffix : partition.dnsSuffix;
    url = new URL(`https://${prefix}.${options.region}.${suffix}/`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
