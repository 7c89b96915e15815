import { describe, expect, it } from 'vitest';
import { resolveEndpoint, resolveRegion } from '../../src/endpoint.js';

describe('resolveEndpoint', () => {
  it.each([
    [{ region: 'eu-west-1' }, 'https://email.eu-west-1.amazonaws.com/'],
    [{ region: 'us-east-1', useFipsEndpoint: true }, 'https://email-fips.us-east-1.amazonaws.com/'],
    [{ region: 'eu-west-1', useDualstackEndpoint: true }, 'https://email.eu-west-1.api.aws/'],
    [{ region: 'cn-north-1' }, 'https://email.cn-north-1.amazonaws.com.cn/'],
    [{ region: 'us-gov-west-1', useFipsEndpoint: true }, 'https://email-fips.us-gov-west-1.amazonaws.com/'],
    [{ region: 'eu-west-1', env: { AWS_USE_FIPS_ENDPOINT: 'true' } }, 'https://email-fips.eu-west-1.amazonaws.com/'],
    [{ region: 'eu-west-1', env: { AWS_ENDPOINT_URL_SES: 'https://ses.internal.example/base' } }, 'https://ses.internal.example/base/'],
    [{ region: 'eu-west-1', env: { AWS_ENDPOINT_URL: 'https://all.example' } }, 'https://all.example/'],
    [{ region: 'eu-west-1', endpoint: 'http://127.0.0.1:8005', env: { AWS_ENDPOINT_URL_SES: 'https://x.example' } }, 'http://127.0.0.1:8005/'],
    [{ region: 'eu-west-1', endpoint: 'http://localhost:8005' }, 'http://localhost:8005/'],
    [{ region: 'eu-west-1', endpoint: 'http://[::1]:8005' }, 'http://[::1]:8005/'],
    [{ region: 'eu-west-1', service: 'sts' as const }, 'https://sts.eu-west-1.amazonaws.com/'],
    [{ region: 'eu-west-1', service: 'sts' as const, env: { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' } }, 'http://127.0.0.1:1/'],
  ])('%j → %s', (options, expected) => {
    expect(resolveEndpoint({ env: {}, ...options }).href).toBe(expected);
  });

  it.each(['http://email.eu-west-1.amazonaws.com', 'http://10.0.0.5:8005', 'ftp://x', 'not a url', 'https://x.example/?q=1'])('refuses %s with ECONFIG', (endpoint) => {
    expect(() => resolveEndpoint({ endpoint, region: 'eu-west-1', env: {} })).toThrow(expect.objectContaining({ code: 'ECONFIG' }));
  });
});

describe('resolveRegion', () => {
  it('takes the option, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(resolveRegion({ region: 'eu-west-1', env: { AWS_REGION: 'us-east-1' } })).toBe('eu-west-1');
    expect(resolveRegion({ env: { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-2' } })).toBe('us-east-1');
    expect(resolveRegion({ env: { AWS_DEFAULT_REGION: 'eu-west-2', AWS_CONFIG_FILE: '/nonexistent' } })).toBe('eu-west-2');
    expect(resolveRegion({ env: { AWS_CONFIG_FILE: '/nonexistent', HOME: '/nonexistent' } })).toBeUndefined();
    expect(() => resolveRegion({ region: 'EU WEST', env: {} })).toThrow(expect.objectContaining({ code: 'ECONFIG' }));
  });
});
