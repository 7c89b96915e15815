// The SesError a promise rejects with; fails the test when it resolves or rejects with anything else.
import { expect } from 'vitest';
import { SesError } from '../../src/errors.js';

export async function rejection(p: Promise<unknown>): Promise<SesError> {
  const outcome = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(SesError);
  return outcome as SesError;
}
