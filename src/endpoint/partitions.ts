/**
 * AWS partitions: which DNS suffix a region's endpoints live under. Data from the AWS SDKs'
 * `partitions.json` (aws-sdk-js-v3 `@aws-sdk/core` 3.981 `util-endpoints/lib/aws/partitions`, the same
 * file as smithy's and botocore's `data/partitions.json`), and the SDKs' lookup: an exact region name
 * first, then each partition's region pattern, else the `aws` partition.
 */

export interface Partition {
  /** Partition id: `aws`, `aws-cn`, `aws-us-gov`, `aws-eusc`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`. */
  readonly name: string;
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
  readonly supportsFIPS: boolean;
  readonly supportsDualStack: boolean;
}

interface PartitionData extends Partition {
  readonly regionRegex: RegExp;
  readonly regions: readonly string[];
}

const PARTITIONS: readonly PartitionData[] = [
  {
    name: 'aws',
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
    regions: [
      'af-south-1',
      'ap-east-1',
      'ap-east-2',
      'ap-northeast-1',
      'ap-northeast-2',
      'ap-northeast-3',
      'ap-south-1',
      'ap-south-2',
      'ap-southeast-1',
      'ap-southeast-2',
      'ap-southeast-3',
      'ap-southeast-4',
      'ap-southeast-5',
      'ap-southeast-6',
      'ap-southeast-7',
      'aws-global',
      'ca-central-1',
      'ca-west-1',
      'eu-central-1',
      'eu-central-2',
      'eu-north-1',
      'eu-south-1',
      'eu-south-2',
      'eu-west-1',
      'eu-west-2',
      'eu-west-3',
      'il-central-1',
      'me-central-1',
      'me-south-1',
      'me-west-1',
      'mx-central-1',
      'sa-east-1',
      'sa-west-1',
      'us-east-1',
      'us-east-2',
      'us-west-1',
      'us-west-2',
    ],
  },
  {
    name: 'aws-cn',
    dnsSuffix: 'amazonaws.com.cn',
    dualStackDnsSuffix: 'api.amazonwebservices.com.cn',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^cn-\w+-\d+$/,
    regions: ['aws-cn-global', 'cn-north-1', 'cn-northwest-1'],
  },
  {
    name: 'aws-eusc',
    dnsSuffix: 'amazonaws.eu',
    dualStackDnsSuffix: 'api.amazonwebservices.eu',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^eusc-(de)-\w+-\d+$/,
    regions: ['eusc-de-east-1'],
  },
  {
    name: 'aws-iso',
    dnsSuffix: 'c2s.ic.gov',
    dualStackDnsSuffix: 'api.aws.ic.gov',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^us-iso-\w+-\d+$/,
    regions: ['aws-iso-global', 'us-iso-east-1', 'us-iso-west-1'],
  },
  {
    name: 'aws-iso-b',
    dnsSuffix: 'sc2s.sgov.gov',
    dualStackDnsSuffix: 'api.aws.scloud',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^us-isob-\w+-\d+$/,
    regions: ['aws-iso-b-global', 'us-isob-east-1', 'us-isob-west-1'],
  },
  {
    name: 'aws-iso-e',
    dnsSuffix: 'cloud.adc-e.uk',
    dualStackDnsSuffix: 'api.cloud-aws.adc-e.uk',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^eu-isoe-\w+-\d+$/,
    regions: ['aws-iso-e-global', 'eu-isoe-west-1'],
  },
  {
    name: 'aws-iso-f',
    dnsSuffix: 'csp.hci.ic.gov',
    dualStackDnsSuffix: 'api.aws.hci.ic.gov',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^us-isof-\w+-\d+$/,
    regions: ['aws-iso-f-global', 'us-isof-east-1', 'us-isof-south-1'],
  },
  {
    name: 'aws-us-gov',
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws',
    supportsFIPS: true,
    supportsDualStack: true,
    regionRegex: /^us-gov-\w+-\d+$/,
    regions: ['aws-us-gov-global', 'us-gov-east-1', 'us-gov-west-1'],
  },
];

function outputs(p: PartitionData): Partition {
  return {
    name: p.name,
    dnsSuffix: p.dnsSuffix,
    dualStackDnsSuffix: p.dualStackDnsSuffix,
    supportsFIPS: p.supportsFIPS,
    supportsDualStack: p.supportsDualStack,
  };
}

/** The partition a region belongs to, as the SDKs' `aws.partition` rule function finds it. */
export function partitionOf(region: string): Partition {
  const exact = PARTITIONS.find((p) => p.regions.includes(region));
  if (exact) return outputs(exact);
  const matched = PARTITIONS.find((p) => p.regionRegex.test(region));
  return outputs(matched ?? PARTITIONS[0]!);
}
