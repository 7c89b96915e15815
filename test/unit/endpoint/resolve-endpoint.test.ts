import { describe, expect, it } from 'vitest';
import { SesError } from '../../../src/errors.js';
import { isLoopbackHost } from '../../../src/endpoint/loopback.js';
import { resolveEndpoint, type EndpointOptions } from '../../../src/endpoint/resolve-endpoint.js';

const href = (options: Partial<EndpointOptions>) => resolveEndpoint({ region: 'eu-west-1', env: {}, ...options }).url.href;

function refusal(options: Partial<EndpointOptions>): SesError {
  try {
    resolveEndpoint({ region: 'eu-west-1', env: {}, ...options });
  } catch (err) {
    return err as SesError;
  }
  throw new Error('expected resolveEndpoint to throw');
}

describe('resolveEndpoint: derived hosts', () => {
  it.each([
    [{ region: 'eu-west-1' }, 'https://email.eu-west-1.amazonaws.com/'],
    [{ region: 'us-east-1', useFipsEndpoint: true }, 'https://email-fips.us-east-1.amazonaws.com/'],
    [{ region: 'eu-west-1', useDualstackEndpoint: true }, 'https://email.eu-west-1.api.aws/'],
    [{ region: 'cn-north-1' }, 'https://email.cn-north-1.amazonaws.com.cn/'],
    [{ region: 'us-gov-west-1', useFipsEndpoint: true }, 'https://email-fips.us-gov-west-1.amazonaws.com/'],
    [{ region: 'eusc-de-east-1' }, 'https://email.eusc-de-east-1.amazonaws.eu/'],
    [{ region: 'eu-isoe-west-1' }, 'https://email.eu-isoe-west-1.cloud.adc-e.uk/'],
    [{ region: 'us-isof-south-1' }, 'https://email.us-isof-south-1.csp.hci.ic.gov/'],
    [{ region: 'us-iso-east-1', useDualstackEndpoint: true }, 'https://email.us-iso-east-1.api.aws.ic.gov/'],
    [{ region: 'eu-west-1', env: { AWS_USE_FIPS_ENDPOINT: 'true' } }, 'https://email-fips.eu-west-1.amazonaws.com/'],
    [{ region: 'eu-west-1', env: { AWS_USE_DUALSTACK_ENDPOINT: 'TRUE' } }, 'https://email.eu-west-1.api.aws/'],
    [{ region: 'eu-west-1', useFipsEndpoint: false, env: { AWS_USE_FIPS_ENDPOINT: 'true' } }, 'https://email.eu-west-1.amazonaws.com/'],
    [{ region: 'eu-west-1', service: 'sts' as const }, 'https://sts.eu-west-1.amazonaws.com/'],
    [{ region: 'us-gov-east-1', service: 'sts' as const, useFipsEndpoint: true }, 'https://sts.us-gov-east-1.amazonaws.com/'],
    [{ region: 'eusc-de-east-1', service: 'sts' as const }, 'https://sts.eusc-de-east-1.amazonaws.eu/'],
  ])('%j → %s', (options, expected) => {
    expect(href(options)).toBe(expected);
  });

  it('signs for the region, except where the rule set names another (STS aws-global)', () => {
    expect(resolveEndpoint({ region: 'eu-west-1', service: 'sts', env: {} }).signingRegion).toBe('eu-west-1');
    expect(resolveEndpoint({ region: 'aws-global', service: 'sts', env: {} })).toEqual({
      url: new URL('https://sts.amazonaws.com/'),
      signingRegion: 'us-east-1',
    });
    expect(resolveEndpoint({ region: 'aws-global', service: 'sts', endpoint: 'https://sts.internal.example', env: {} }).signingRegion).toBe(
      'aws-global',
    );
  });

  it('refuses a region that is not a host label', () => {
    expect(refusal({ region: 'eu-west-1.evil.example/x' }).code).toBe('ECONFIG');
    expect(refusal({ region: '' }).code).toBe('ECONFIG');
  });
});

describe('resolveEndpoint: custom endpoints', () => {
  it.each([
    [{ env: { AWS_ENDPOINT_URL_SES: 'https://ses.internal.example/base' } }, 'https://ses.internal.example/base/'],
    [{ env: { AWS_ENDPOINT_URL: 'https://all.example' } }, 'https://all.example/'],
    [{ env: { AWS_ENDPOINT_URL_SES: 'https://ses.example', AWS_ENDPOINT_URL: 'https://all.example' } }, 'https://ses.example/'],
    [{ endpoint: 'http://127.0.0.1:8005', env: { AWS_ENDPOINT_URL_SES: 'https://x.example' } }, 'http://127.0.0.1:8005/'],
    [{ endpoint: new URL('http://localhost:8005'), env: { AWS_ENDPOINT_URL: 'https://x.example' } }, 'http://localhost:8005/'],
    [{ endpoint: 'http://[::1]:8005' }, 'http://[::1]:8005/'],
    [
      { service: 'sts' as const, env: { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_SES: 'https://ses.example' } },
      'http://127.0.0.1:1/',
    ],
    [{ service: 'sts' as const, env: { AWS_ENDPOINT_URL_SES: 'https://ses.example' } }, 'https://sts.eu-west-1.amazonaws.com/'],
  ])('%j → %s', (options, expected) => {
    expect(href(options)).toBe(expected);
  });

  it('counts an empty variable as unset: an empty AWS_ENDPOINT_URL_SES does not hide AWS_ENDPOINT_URL', () => {
    expect(href({ env: { AWS_ENDPOINT_URL_SES: '', AWS_ENDPOINT_URL: 'https://all.example' } })).toBe('https://all.example/');
    expect(href({ service: 'sts', env: { AWS_ENDPOINT_URL_STS: '', AWS_ENDPOINT_URL: 'https://all.example' } })).toBe(
      'https://all.example/',
    );
    expect(href({ env: { AWS_ENDPOINT_URL_SES: '', AWS_ENDPOINT_URL: '' } })).toBe('https://email.eu-west-1.amazonaws.com/');
  });

  it('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns the variables off, not the endpoint option', () => {
    const env = {
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true',
      AWS_ENDPOINT_URL_SES: 'https://ses.example',
      AWS_ENDPOINT_URL_STS: 'https://sts.example',
      AWS_ENDPOINT_URL: 'https://all.example',
    };
    expect(href({ env })).toBe('https://email.eu-west-1.amazonaws.com/');
    expect(href({ service: 'sts', env })).toBe('https://sts.eu-west-1.amazonaws.com/');
    expect(href({ env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'True', AWS_ENDPOINT_URL: 'https://all.example' } })).toBe(
      'https://email.eu-west-1.amazonaws.com/',
    );
    expect(href({ env, endpoint: 'https://mine.example' })).toBe('https://mine.example/');
    // With the variables ignored, FIPS is no longer combined with a custom endpoint.
    expect(href({ env, useFipsEndpoint: true })).toBe('https://email-fips.eu-west-1.amazonaws.com/');
    expect(href({ env: { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' } })).toBe('https://ses.example/');
  });

  it.each([
    [
      { endpoint: 'https://ses.example', useFipsEndpoint: true },
      'Invalid Configuration: FIPS and custom endpoint are not supported',
      'the endpoint option',
    ],
    [
      { endpoint: 'https://ses.example', useDualstackEndpoint: true },
      'Invalid Configuration: Dualstack and custom endpoint are not supported',
      'the endpoint option',
    ],
    [
      { env: { AWS_USE_FIPS_ENDPOINT: 'true', AWS_ENDPOINT_URL_SES: 'https://ses.example' } },
      'Invalid Configuration: FIPS and custom endpoint are not supported',
      'AWS_ENDPOINT_URL_SES',
    ],
    [
      { useDualstackEndpoint: true, env: { AWS_ENDPOINT_URL: 'https://all.example' } },
      'Invalid Configuration: Dualstack and custom endpoint are not supported',
      'AWS_ENDPOINT_URL',
    ],
    [
      { service: 'sts' as const, env: { AWS_USE_FIPS_ENDPOINT: 'true', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' } },
      'Invalid Configuration: FIPS and custom endpoint are not supported',
      'AWS_ENDPOINT_URL_STS',
    ],
    [
      { endpoint: 'https://ses.example', useFipsEndpoint: true, useDualstackEndpoint: true },
      'Invalid Configuration: FIPS and custom endpoint are not supported',
      'the endpoint option',
    ],
  ])('%j → ECONFIG "%s"', (options, message, from) => {
    const err = refusal(options);
    expect(err).toBeInstanceOf(SesError);
    expect(err.code).toBe('ECONFIG');
    expect(err.retryable).toBe(false);
    expect(err.message).toBe(`${message} (endpoint from ${from})`);
  });

  it.each([
    'http://email.eu-west-1.amazonaws.com',
    'http://10.0.0.5:8005',
    'ftp://x',
    'not a url',
    'https://x.example/?q=1',
    'https://x.example/#f',
  ])('refuses %s with ECONFIG', (endpoint) => {
    expect(refusal({ endpoint }).code).toBe('ECONFIG');
    expect(refusal({ env: { AWS_ENDPOINT_URL: endpoint } }).code).toBe('ECONFIG');
  });
});

describe('isLoopbackHost', () => {
  it.each(['localhost', 'mail.localhost', '127.0.0.1', '127.8.9.10', '[::1]', '::1', '[0:0:0:0:0:0:0:1]'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['10.0.0.5', '169.254.170.2', 'localhost.example.com', '128.0.0.1', '[::2]', 'example.com', '0.0.0.0'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
