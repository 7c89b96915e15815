import { describe, expect, it } from 'vitest';
import { ClockOffset } from '../../src/wire/clock.js';

describe('ClockOffset', () => {
  const at = (ms: number) => new Date(ms).toUTCString();
  it('learns the offset from any answer, in both directions, and calls 4 minutes or more a correction', () => {
    let now = 1_000_000_000_000;
    const clock = new ClockOffset(() => now);
    expect(clock.sample({ date: at(now + 600_000) })).toBe(true); // SES ahead: local clock behind
    expect(clock.value).toBe(600_000);
    expect(clock.signingDate().getTime()).toBe(now + 600_000);
    expect(clock.sample({ date: at(now - 600_000) })).toBe(true); // local clock ahead
    expect(clock.value).toBe(-600_000);
    expect(clock.sample({ date: at(now) })).toBe(false); // small offsets are followed, not corrections
    expect(clock.value).toBe(0);
    now += 1;
  });
  it('ignores cached answers, slow round trips and bad dates', () => {
    const now = 1_000_000_000_000;
    const clock = new ClockOffset(() => now);
    expect(clock.sample({ date: at(now + 600_000), age: '5' })).toBe(false);
    expect(clock.sample({ date: at(now + 600_000), sentAt: now - 1_000_000 })).toBe(false);
    expect(clock.sample({ date: 'yesterday' })).toBe(false);
    expect(clock.value).toBe(0);
  });
});
