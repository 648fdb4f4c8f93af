import { valuesEqual } from '../bson/compare.js';
import type { Doc } from '../types.js';

const isPlainObject = (v: unknown): v is Doc =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !('_bsontype' in (v as object)) && !ArrayBuffer.isView(v);

/**
 * The `updateDescription` of a change event: dotted paths of fields set and removed. Nested
 * documents are diffed recursively; a changed array is reported whole, which is what mongod
 * does for most array updates.
 */
export function describeUpdate(before: Doc, after: Doc): Doc {
  const updatedFields: Doc = {};
  const removedFields: string[] = [];
  diff(before, after, '', updatedFields, removedFields);
  return { updatedFields, removedFields, truncatedArrays: [] };
}

function diff(before: Doc, after: Doc, prefix: string, updated: Doc, removed: string[]): void {
  for (const key of Object.keys(before)) {
    if (!(key in after)) removed.push(prefix + key);
  }
  for (const key of Object.keys(after)) {
    const path = prefix + key;
    const a = before[key];
    const b = after[key];
    if (!(key in before)) updated[path] = b;
    else if (isPlainObject(a) && isPlainObject(b)) diff(a, b, path + '.', updated, removed);
    else if (!sameValue(a, b)) updated[path] = b;
  }
}

/** Equal and of the same shape (valuesEqual treats 1 and 1.0 alike, which is fine here). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  return valuesEqual(a, b);
}
