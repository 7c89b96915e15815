/**
 * The SES and STS endpoint rule sets, for the parameters this transport has: `Region`, `UseFIPS`,
 * `UseDualStack`, `Endpoint`. Followed from botocore `botocore/data/ses/2010-12-01/endpoint-rule-set-1.json`
 * and `botocore/data/sts/2011-06-15/endpoint-rule-set-1.json` (the rule sets aws-sdk-js-v3 compiles
 * into its SES and STS clients), with the region's partition from `partitions.ts`. STS's
 * `UseGlobalEndpoint` is always false here: STS is called at its regional endpoint, as the SDKs do by
 * default. Checked against the rule sets' own test cases (`test/fixtures/endpoint-rules/`).
 */
import { partitionOf, type Partition } from './partitions.js';

/** The endpoint prefix: `email` for SES, `sts` for STS. */
export type EndpointService = 'email' | 'sts';

export interface RuleSetParams {
  region?: string;
  useFips: boolean;
  useDualStack: boolean;
  /** A custom endpoint (`SDK::Endpoint`: the option, or a configured `AWS_ENDPOINT_URL*`). */
  endpoint?: string;
}

/** The rule set's answer: a URL (and a signing region when the rules name one) or its error message. */
export type RuleSetOutcome = { url: string; signingRegion?: string } | { error: string };

export function endpointFromRuleSet(
  service: EndpointService,
  params: RuleSetParams,
  partitionFor: (region: string) => Partition = partitionOf,
): RuleSetOutcome {
  const { region, useFips, useDualStack, endpoint } = params;
  if (endpoint !== undefined) {
    if (useFips) return { error: 'Invalid Configuration: FIPS and custom endpoint are not supported' };
    if (useDualStack) return { error: 'Invalid Configuration: Dualstack and custom endpoint are not supported' };
    return { url: endpoint };
  }
  if (region === undefined) return { error: 'Invalid Configuration: Missing Region' };
  const partition = partitionFor(region);
  if (useFips && useDualStack) {
    if (!partition.supportsFIPS || !partition.supportsDualStack) {
      return { error: 'FIPS and DualStack are enabled, but this partition does not support one or both' };
    }
    return { url: `https://${service}-fips.${region}.${partition.dualStackDnsSuffix}` };
  }
  if (useFips) {
    if (!partition.supportsFIPS) return { error: 'FIPS is enabled but this partition does not support FIPS' };
    // STS in GovCloud: the regular regional host is the FIPS endpoint.
    if (service === 'sts' && partition.name === 'aws-us-gov') return { url: `https://sts.${region}.amazonaws.com` };
    return { url: `https://${service}-fips.${region}.${partition.dnsSuffix}` };
  }
  if (useDualStack) {
    if (!partition.supportsDualStack) return { error: 'DualStack is enabled but this partition does not support DualStack' };
    return { url: `https://${service}.${region}.${partition.dualStackDnsSuffix}` };
  }
  // STS's pseudo-region `aws-global` is the global endpoint, signed for us-east-1.
  if (service === 'sts' && region === 'aws-global') return { url: 'https://sts.amazonaws.com', signingRegion: 'us-east-1' };
  return { url: `https://${service}.${region}.${partition.dnsSuffix}` };
}
