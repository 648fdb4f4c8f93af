import { expect } from 'vitest';
import { MongoCommandError } from '../../src/errors.js';

/** Runs `fn`, which must throw a MongoCommandError, and returns that error for closer checks. */
export function errorOf(fn: () => unknown): MongoCommandError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MongoCommandError);
    return e as MongoCommandError;
  }
  throw new Error('expected an error');
}

/** Freezes plain objects and arrays recursively: any mutation by the code under test throws. */
export function deepFreeze<T>(v: T): T {
  if (Array.isArray(v) || (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)) {
    Object.values(v as object).forEach(deepFreeze);
    Object.freeze(v);
  }
  return v;
}
