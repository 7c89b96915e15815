/**
 * The endpoint URL for SES or STS: a custom endpoint (the `endpoint` option, else the configured
 * `AWS_ENDPOINT_URL_SES`/`_STS`, else `AWS_ENDPOINT_URL`), or the host the service's rule set derives
 * from the region, FIPS and dual-stack settings (`rule-sets.ts`).
 *
 * Configured endpoint URLs follow aws-sdk-js-v3 `@smithy/middleware-endpoint`
 * (`adaptors/getEndpointFromConfig.ts`, `getEndpointUrlConfig.ts`, `getIgnoreConfiguredEndpointUrls.ts`)
 * and botocore (`configprovider.py` `ConfiguredEndpointProvider`, `args.py`
 * `_compute_configured_endpoint_url`): an empty variable counts as unset, and
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` turns the variables off but not an endpoint passed in
 * code. The shared config file's `endpoint_url` and `services` sections are not read here.
 */
import { configError } from '../errors.js';
import { isLoopbackHost } from './loopback.js';
import { isRegionName } from './resolve-region.js';
import { endpointFromRuleSet, type EndpointService } from './rule-sets.js';

export type { EndpointService } from './rule-sets.js';

export interface EndpointOptions {
  endpoint?: string | URL;
  region: string;
  service?: EndpointService;
  useFipsEndpoint?: boolean;
  useDualstackEndpoint?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface ResolvedEndpoint {
  /** Always ends in `/`. */
  url: URL;
  /** The region to sign for: the region itself, except where the rule set names another. */
  signingRegion: string;
}

const SERVICE_ENV: Record<EndpointService, string> = { email: 'AWS_ENDPOINT_URL_SES', sts: 'AWS_ENDPOINT_URL_STS' };

/** `true`/`false` settings from the environment, case-insensitive (botocore `utils.ensure_boolean`). */
function isTrue(value: string | undefined): boolean {
  return value?.toLowerCase() === 'true';
}

/** The custom endpoint and where it came from (named in errors; the URL itself is not repeated there). */
function customEndpoint(
  options: EndpointOptions,
  env: NodeJS.ProcessEnv,
  service: EndpointService,
): { value: string; from: string } | undefined {
  if (options.endpoint !== undefined && String(options.endpoint) !== '')
    return { value: String(options.endpoint), from: 'the endpoint option' };
  if (isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)) return undefined;
  for (const name of [SERVICE_ENV[service], 'AWS_ENDPOINT_URL']) {
    const value = env[name];
    if (value) return { value, from: name };
  }
  return undefined;
}

function checkedUrl(given: string): URL {
  let url: URL;
  try {
    url = new URL(given);
  } catch (cause) {
    throw configError(`Endpoint "${given}" is not a URL`, cause);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw configError(`Endpoint "${url.href}" must be https://`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw configError(`Endpoint "${url.href}" uses http://, which is allowed only for loopback hosts; use https://`);
  }
  if (url.search || url.hash) throw configError(`Endpoint "${url.href}" must not have a query or fragment`);
  return url;
}

/** Resolves the endpoint, or throws `ECONFIG` with the rule set's message for a configuration it refuses. */
export function resolveEndpoint(options: EndpointOptions): ResolvedEndpoint {
  const env = options.env ?? process.env;
  const service = options.service ?? 'email';
  if (!isRegionName(options.region)) throw configError(`"${options.region}" is not an AWS region name`);
  const useFips = options.useFipsEndpoint ?? isTrue(env.AWS_USE_FIPS_ENDPOINT);
  const useDualStack = options.useDualstackEndpoint ?? isTrue(env.AWS_USE_DUALSTACK_ENDPOINT);
  const custom = customEndpoint(options, env, service);
  const outcome = endpointFromRuleSet(service, { region: options.region, useFips, useDualStack, endpoint: custom?.value });
  if ('error' in outcome) {
    const detail = custom ? ` (endpoint from ${custom.from})` : ` (region ${options.region})`;
    throw configError(`${outcome.error}${detail}`);
  }
  const url = custom ? checkedUrl(outcome.url) : new URL(outcome.url);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return { url, signingRegion: outcome.signingRegion ?? options.region };
}
