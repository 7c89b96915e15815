/**
 * The region: the `region` option, `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`
 * (the AWS SDKs' order). The profile is read by the caller (credentials code) and handed in, so this
 * layer knows nothing of shared files.
 */
import { configError } from '../errors.js';

// A region becomes a DNS label of the endpoint host, so it must be one: lower-case letters, digits
// and hyphens, 1 to 63 characters, no hyphen first or last (smithy `isValidHostLabel`, used by
// `@smithy/config-resolver` `checkRegion`; we also refuse upper case, which no AWS region has).
const REGION_SHAPE = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** True when `region` can be used as a region name (a lower-case DNS label). */
export function isRegionName(region: string): boolean {
  return REGION_SHAPE.test(region);
}

export interface RegionOptions {
  region?: string;
  /** The profile's `region`, or a function that reads it (called only when nothing before it is set). */
  profileRegion?: string | (() => string | undefined);
  env?: NodeJS.ProcessEnv;
}

/** The region to use, or `undefined` when none is configured anywhere. Synchronous. */
export function resolveRegion(options: RegionOptions): string | undefined {
  const env = options.env ?? process.env;
  const fromProfile = options.profileRegion;
  const region =
    options.region ||
    env.AWS_REGION ||
    env.AWS_DEFAULT_REGION ||
    (typeof fromProfile === 'function' ? fromProfile() : fromProfile) ||
    undefined;
  if (region === undefined) return undefined;
  if (!isRegionName(region)) throw configError(`"${region}" is not an AWS region name`);
  return region;
}
