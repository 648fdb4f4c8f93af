import { ErrorCode, MongoCommandError, notImplemented } from '../errors.js';
import { assertCollName } from '../storage/catalog.js';
import type { Doc } from '../types.js';

const typeError = (field: string, expected: string, v: unknown) =>
  new MongoCommandError(ErrorCode.TypeMismatch, `BSON field '${field}' is the wrong type '${typeName(v)}', expected type '${expected}'`);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** The collection name a command targets (its first field's value). */
export function collectionArg(cmd: Doc, name: string, db: string): string {
  const coll = cmd[name];
  assertCollName(db, coll);
  return coll;
}

export function optionalDoc(cmd: Doc, field: string, command: string): Doc | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || v instanceof Date) throw typeError(`${command}.${field}`, 'object', v);
  return v as Doc;
}

export function optionalNumber(cmd: Doc, field: string, command: string): number | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw typeError(`${command}.${field}`, 'long', v);
  return v;
}

export function nonNegative(cmd: Doc, field: string, command: string): number | undefined {
  const v = optionalNumber(cmd, field, command);
  if (v !== undefined && v < 0) throw new MongoCommandError(ErrorCode.BadValue, `${field} value must be non-negative, but received: ${v}`);
  return v;
}

/** Collation changes comparison results; only the default ("simple") is supported. */
export function rejectCollation(cmd: Doc): void {
  const collation = cmd.collation as Doc | undefined;
  if (collation && collation.locale !== 'simple') notImplementedOption('collation');
}

export function notImplementedOption(option: string): never {
  throw notImplemented(`the '${option}' option`);
}

export function requiredString(cmd: Doc, field: string, command: string): string {
  const v = cmd[field];
  if (typeof v !== 'string') throw typeError(`${command}.${field}`, 'string', v);
  return v;
}

export function requiredNumber(cmd: Doc, field: string, command: string): number {
  const v = cmd[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw typeError(`${command}.${field}`, 'long', v);
  return v;
}

export function anyArray(cmd: Doc, field: string, command: string): unknown[] {
  const v = cmd[field];
  if (!Array.isArray(v)) throw typeError(`${command}.${field}`, 'array', v);
  return v;
}

const isPlainDoc = (v: unknown): v is Doc =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp) && !('_bsontype' in (v as object));

/** An array field whose every element must be a document (insert's `documents`, etc.). */
export function docList(cmd: Doc, field: string, command: string): Doc[] {
  const list = anyArray(cmd, field, command);
  list.forEach((v, i) => {
    if (!isPlainDoc(v)) throw typeError(`${command}.${field}.${i}`, 'object', v);
  });
  return list as Doc[];
}

/** A document-valued field of a statement (e.g. update's `q`), required. */
export function requiredDoc(st: Doc, field: string, where: string): Doc {
  const v = st[field];
  if (!isPlainDoc(v)) throw typeError(`${where}.${field}`, 'object', v);
  return v;
}
