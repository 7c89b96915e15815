import { describe, expect, it } from 'vitest';
import { resolveRegion } from '../../../src/endpoint/resolve-region.js';

describe('resolveRegion', () => {
  it('takes the option, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile', () => {
    const profile = 'ap-south-1';
    expect(resolveRegion({ region: 'eu-west-1', profileRegion: profile, env: { AWS_REGION: 'us-east-1' } })).toBe('eu-west-1');
    expect(resolveRegion({ profileRegion: profile, env: { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-2' } })).toBe('us-east-1');
    expect(resolveRegion({ profileRegion: profile, env: { AWS_DEFAULT_REGION: 'eu-west-2' } })).toBe('eu-west-2');
    expect(resolveRegion({ profileRegion: profile, env: {} })).toBe('ap-south-1');
    expect(resolveRegion({ env: {} })).toBeUndefined();
  });

  it('treats empty values as unset', () => {
    expect(resolveRegion({ region: '', profileRegion: 'ap-south-1', env: { AWS_REGION: '', AWS_DEFAULT_REGION: '' } })).toBe('ap-south-1');
    expect(resolveRegion({ profileRegion: '', env: {} })).toBeUndefined();
  });

  it('reads the profile only when nothing before it is set', () => {
    let reads = 0;
    const profileRegion = () => {
      reads++;
      return 'sa-east-1';
    };
    expect(resolveRegion({ profileRegion, env: { AWS_REGION: 'us-east-1' } })).toBe('us-east-1');
    expect(reads).toBe(0);
    expect(resolveRegion({ profileRegion, env: {} })).toBe('sa-east-1');
    expect(reads).toBe(1);
  });

  it.each(['eu-west-1', 'eusc-de-east-1', 'us-isof-south-1', 'aws-global', 'local', 'a', 'x'.repeat(63)])('accepts %s', (region) => {
    expect(resolveRegion({ region, env: {} })).toBe(region);
  });

  it.each(['EU WEST', 'Eu-West-1', '-eu-west-1', 'eu-west-1-', '-', 'eu.west.1', 'eu_west_1', 'x'.repeat(64), 'eu-west-1/evil'])(
    'refuses %j with ECONFIG',
    (region) => {
      expect(() => resolveRegion({ region, env: {} })).toThrow(expect.objectContaining({ code: 'ECONFIG' }));
    },
  );

  it('checks a region from the environment or the profile too', () => {
    expect(() => resolveRegion({ env: { AWS_REGION: 'eu-west-1-' } })).toThrow(expect.objectContaining({ code: 'ECONFIG' }));
    expect(() => resolveRegion({ profileRegion: () => 'Eu West', env: {} })).toThrow(expect.objectContaining({ code: 'ECONFIG' }));
  });
});
