import { ErrorCode, MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';
import { MODIFIERS, type Slot } from './update-ops.js';
import { bsonTypeName, formatValue, isPlainObject } from './values.js';

/**
 * Parsing of operator updates (modifier names, field paths, conflicts) and the path mechanics of
 * applying them: locating (optionally creating) a field in the working copy. Positional paths
 * and array filters are in update-positional.ts.
 */

const fail = (code: number, msg: string) => new MongoCommandError(code, msg);
const PATH_NOT_VIABLE = 28;
const EMPTY_FIELD_NAME = 56;
const DOLLAR_PREFIXED = 52;

export interface ParsedOp {
  name: string;
  path: string;
  parts: string[];
  /** The argument as prepared by the modifier. */
  arg: unknown;
  /** $rename only: the destination. */
  to?: string[];
}

const isDigits = (s: string) => /^[0-9]+$/.test(s);
export const FILTER_ID = /^\$\[([a-zA-Z0-9]*)\]$/;
export const isPositional = (p: string) => p === '$' || FILTER_ID.test(p);

function validatePath(path: string): string[] {
  if (path === '') throw fail(EMPTY_FIELD_NAME, 'An empty update path is not valid.');
  const parts = path.split('.');
  if (parts.includes('')) throw fail(EMPTY_FIELD_NAME, `The update path '${path}' contains an empty field name, which is not allowed.`);
  for (const p of parts) {
    if (p.startsWith('$') && !isPositional(p)) {
      throw fail(DOLLAR_PREFIXED, `The dollar ($) prefixed field '${p}' in '${path}' is not valid for storage.`);
    }
  }
  if (isPositional(parts[0])) throw fail(ErrorCode.BadValue, `Cannot have positional (i.e. '$') element in the first position in path '${path}'`);
  if (parts.filter((p) => p === '$').length > 1) throw fail(ErrorCode.BadValue, `Too many positional (i.e. '$') elements found in path '${path}'`);
  return parts;
}

const isPrefix = (a: string[], b: string[]) => a.length <= b.length && a.every((p, i) => p === b[i]);

export function parseOperatorUpdate(update: Doc): ParsedOp[] {
  const ops: ParsedOp[] = [];
  const registered: string[][] = [];
  const register = (parts: string[]) => {
    for (const prev of registered) {
      const at = isPrefix(prev, parts) ? prev : isPrefix(parts, prev) ? parts : undefined;
      if (at) throw fail(40, `Updating the path '${parts.join('.')}' would create a conflict at '${at.join('.')}'`);
    }
    registered.push(parts);
  };
  for (const name of Object.keys(update)) {
    const modifier = name.startsWith('$') ? MODIFIERS[name] : undefined;
    if (!modifier) {
      throw fail(ErrorCode.FailedToParse, `Unknown modifier: ${name}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    const spec = update[name];
    if (!isPlainObject(spec)) {
      throw fail(
        ErrorCode.FailedToParse,
        `Modifiers operate on fields but we found type ${bsonTypeName(spec)} instead. For example: {$mod: {<field>: ...}} not {${name}: ${formatValue(spec)}}`,
      );
    }
    if (!Object.keys(spec).length) {
      throw fail(ErrorCode.FailedToParse, `'${name}' is empty. You must specify a field like so: {${name}: {<field>: ...}}`);
    }
    for (const path of Object.keys(spec)) {
      const parts = validatePath(path);
      if (name !== '$rename') {
        register(parts);
        ops.push({ name, path, parts, arg: modifier.prepare(spec[path], path) });
        continue;
      }
      const to = spec[path];
      if (typeof to !== 'string') throw fail(ErrorCode.BadValue, `The 'to' field for $rename must be a string: ${path}: ${formatValue(to)}`);
      const toParts = validatePath(to);
      if (parts.some(isPositional)) throw fail(ErrorCode.BadValue, `The source field for $rename may not be dynamic: ${path}`);
      if (toParts.some(isPositional)) throw fail(ErrorCode.BadValue, `The destination field for $rename may not be dynamic: ${to}`);
      if (path === to) throw fail(ErrorCode.BadValue, `The source and target field for $rename must differ: ${path}: ${JSON.stringify(to)}`);
      if (isPrefix(parts, toParts) || isPrefix(toParts, parts)) {
        throw fail(ErrorCode.BadValue, `The source and target field for $rename must not be on the same path: ${path}: ${JSON.stringify(to)}`);
      }
      register(parts);
      register(toParts);
      ops.push({ name, path, parts, arg: to, to: toParts });
    }
  }
  return ops;
}

/** mongod applies updates in field-name order (numeric components numerically). */
export function comparePaths(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (isDigits(a[i]) && isDigits(b[i])) return Number(a[i]) - Number(b[i]);
    return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

export const child = (v: unknown, p: string): unknown =>
  isPlainObject(v) ? v[p] : Array.isArray(v) && isDigits(p) ? v[Number(p)] : undefined;

const notViable = (field: string, name: string, value: unknown) =>
  fail(PATH_NOT_VIABLE, `Cannot create field '${field}' in element {${name}: ${formatValue(value)}}`);

/**
 * Finds the slot of `parts` in the working document. With `create`, missing parents become
 * objects (arrays are padded with nulls) and non-container parents are an error (code 28);
 * without it, an unreachable path yields undefined.
 */
export function locate(root: Doc, parts: string[], create: boolean): Slot | undefined {
  let cur: Doc | unknown[] = root;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (Array.isArray(cur) && !isDigits(p)) {
      if (!create) return undefined;
      throw notViable(p, parts[i - 1] ?? '', cur);
    }
    const value = child(cur, p);
    if (i === parts.length - 1) return { parent: cur, key: p, value };
    if (value === undefined) {
      if (!create) return undefined;
      const fresh: Doc = {};
      if (Array.isArray(cur)) {
        while (cur.length < Number(p)) cur.push(null);
        cur[Number(p)] = fresh;
      } else {
        cur[p] = fresh;
      }
      cur = fresh;
    } else if (isPlainObject(value) || Array.isArray(value)) {
      cur = value;
    } else {
      if (!create) return undefined;
      throw notViable(parts[i + 1], p, value);
    }
  }
  return undefined;
}

/** The first array met strictly inside `parts` (for $rename's "cannot be an array element"). */
export function arrayAlong(root: Doc, parts: string[]): string | undefined {
  let cur: unknown = root;
  for (let i = 0; i < parts.length - 1; i++) {
    cur = child(cur, parts[i]);
    if (Array.isArray(cur)) return parts.slice(0, i + 1).join('.');
    if (!isPlainObject(cur)) return undefined;
  }
  return undefined;
}
