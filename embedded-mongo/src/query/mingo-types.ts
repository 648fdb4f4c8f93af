import type { Iterator } from 'mingo/lazy';
import type { Options } from 'mingo/types';
import type { Doc } from '../types.js';

/**
 * Operator signatures as mingo calls them. mingo's own exported operator types are unions of
 * every built-in operator's parameter types, which no custom operator can satisfy, so ours are
 * declared here and cast once when registered in the `Context` (see `context.ts`).
 */
export type QueryOp = (selector: string, value: unknown, options: Options) => (doc: Doc) => boolean;
export type ExprOp = (obj: Doc, expr: unknown, options: Options) => unknown;
export type AccumulatorOp = (coll: Doc[], expr: unknown, options: Options) => unknown;
export type StageOp = (coll: Iterator, spec: unknown, options: Options) => Iterator;

export type OperatorTable<T> = Record<`$${string}`, T>;
