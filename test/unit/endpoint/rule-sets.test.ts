/**
 * Outcomes of the SES/STS rule sets that the published test cases do not cover: the partitions added
 * since (European Sovereign Cloud, aws-iso-e, aws-iso-f), the current dual-stack suffixes, and the
 * errors for a partition without FIPS or dual-stack.
 */
import { describe, expect, it } from 'vitest';
import { partitionOf, type Partition } from '../../../src/endpoint/partitions.js';
import { endpointFromRuleSet } from '../../../src/endpoint/rule-sets.js';

const plain = { useFips: false, useDualStack: false };

describe('endpointFromRuleSet with the partitions data', () => {
  it.each([
    ['email', 'eusc-de-east-1', plain, 'https://email.eusc-de-east-1.amazonaws.eu'],
    ['email', 'eusc-de-east-1', { useFips: true, useDualStack: false }, 'https://email-fips.eusc-de-east-1.amazonaws.eu'],
    ['email', 'eusc-de-east-1', { useFips: false, useDualStack: true }, 'https://email.eusc-de-east-1.api.amazonwebservices.eu'],
    ['sts', 'eusc-de-east-1', plain, 'https://sts.eusc-de-east-1.amazonaws.eu'],
    // A future EUSC region, found by the partition's region pattern rather than its list.
    ['email', 'eusc-de-west-2', plain, 'https://email.eusc-de-west-2.amazonaws.eu'],
    ['email', 'eu-isoe-west-1', plain, 'https://email.eu-isoe-west-1.cloud.adc-e.uk'],
    ['email', 'eu-isoe-west-1', { useFips: false, useDualStack: true }, 'https://email.eu-isoe-west-1.api.cloud-aws.adc-e.uk'],
    ['email', 'us-isof-south-1', plain, 'https://email.us-isof-south-1.csp.hci.ic.gov'],
    ['email', 'us-isof-east-1', { useFips: true, useDualStack: false }, 'https://email-fips.us-isof-east-1.csp.hci.ic.gov'],
    ['email', 'us-isof-east-1', { useFips: false, useDualStack: true }, 'https://email.us-isof-east-1.api.aws.hci.ic.gov'],
    ['email', 'us-iso-east-1', { useFips: false, useDualStack: true }, 'https://email.us-iso-east-1.api.aws.ic.gov'],
    ['email', 'us-isob-east-1', { useFips: false, useDualStack: true }, 'https://email.us-isob-east-1.api.aws.scloud'],
    ['sts', 'us-isob-east-1', { useFips: true, useDualStack: true }, 'https://sts-fips.us-isob-east-1.api.aws.scloud'],
    ['email', 'cn-northwest-1', { useFips: false, useDualStack: true }, 'https://email.cn-northwest-1.api.amazonwebservices.com.cn'],
    // STS in GovCloud: FIPS is the regular host; with dual-stack it is sts-fips (the rule set's order).
    ['sts', 'us-gov-west-1', { useFips: true, useDualStack: false }, 'https://sts.us-gov-west-1.amazonaws.com'],
    ['email', 'us-gov-west-1', { useFips: true, useDualStack: true }, 'https://email-fips.us-gov-west-1.api.aws'],
    // An unknown shape falls into the aws partition, as in the SDKs.
    ['email', 'xx-future-1', plain, 'https://email.xx-future-1.amazonaws.com'],
  ] as const)('%s %s %j → %s', (service, region, flags, url) => {
    expect(endpointFromRuleSet(service, { region, ...flags })).toEqual({ url });
  });

  it('only STS treats aws-global as the global endpoint signed for us-east-1', () => {
    expect(endpointFromRuleSet('sts', { region: 'aws-global', ...plain })).toEqual({
      url: 'https://sts.amazonaws.com',
      signingRegion: 'us-east-1',
    });
    expect(endpointFromRuleSet('email', { region: 'aws-global', ...plain })).toEqual({ url: 'https://email.aws-global.amazonaws.com' });
  });
});

describe('endpointFromRuleSet in a partition without FIPS or dual-stack', () => {
  // No partition in today's data lacks them, so a partition that does is described here; the rules
  // read only these attributes.
  const lacking = (supportsFIPS: boolean, supportsDualStack: boolean) => (): Partition => ({
    ...partitionOf('us-east-1'),
    name: 'aws-test',
    supportsFIPS,
    supportsDualStack,
  });

  it.each([
    [
      'FIPS where FIPS is missing',
      { useFips: true, useDualStack: false },
      lacking(false, true),
      'FIPS is enabled but this partition does not support FIPS',
    ],
    [
      'dual-stack where dual-stack is missing',
      { useFips: false, useDualStack: true },
      lacking(true, false),
      'DualStack is enabled but this partition does not support DualStack',
    ],
    [
      'both where FIPS is missing',
      { useFips: true, useDualStack: true },
      lacking(false, true),
      'FIPS and DualStack are enabled, but this partition does not support one or both',
    ],
    [
      'both where dual-stack is missing',
      { useFips: true, useDualStack: true },
      lacking(true, false),
      'FIPS and DualStack are enabled, but this partition does not support one or both',
    ],
  ])('%s → "%s"', (_label, flags, partitionFor, error) => {
    expect(endpointFromRuleSet('email', { region: 'test-east-1', ...flags }, partitionFor)).toEqual({ error });
    expect(endpointFromRuleSet('sts', { region: 'test-east-1', ...flags }, partitionFor)).toEqual({ error });
  });

  it('still gives the plain host', () => {
    expect(endpointFromRuleSet('email', { region: 'test-east-1', ...plain }, lacking(false, false))).toEqual({
      url: 'https://email.test-east-1.amazonaws.com',
    });
  });
});
