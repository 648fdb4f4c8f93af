import type { Types } from 'mongoose';

/**
 * What `lean()` really returns for a schema's inferred raw document type: mongoose infers arrays
 * of subdocuments nested in subdocuments (e.g. an order item's characteristics) as
 * DocumentArrays; in a lean document they are plain arrays.
 */
export type Plain<T> = T extends Date ? T
  : T extends Types.DocumentArray<infer U> ? Plain<U>[]
  : T extends readonly (infer U)[] ? Plain<U>[]
  : T extends object ? { [K in keyof T]: Plain<T[K]> }
  : T;
