import { valueKey } from '../../bson/value-key.js';
import { ErrorCode } from '../../errors.js';
import type { Doc } from '../../types.js';
import { IndexError, IndexErrorCode } from './index-errors.js';
import { formatShell } from './shell-format.js';
import { ID_INDEX_NAME, type IndexSpec } from './spec.js';

/**
 * What makes two indexes "the same index" for mongod 5.0+ (SERVER-47657): key pattern,
 * collation, partial filter, unique, sparse. Two indexes may share a key pattern only if
 * this differs.
 */
const signature = (s: IndexSpec): string =>
  valueKey([s.key, !!s.unique, !!s.sparse, s.partialFilterExpression ?? null, s.collation ?? null]);

/** Options that do not identify an index but must match for a re-create to be a no-op. */
const otherOptions = (s: IndexSpec): string => valueKey([s.expireAfterSeconds ?? null, !!s.hidden]);

/**
 * Decides a createIndexes request against the existing indexes the way mongod does: true when
 * an identical index exists (a no-op, "all indexes already exist"), false when the index is new,
 * and throws 85 IndexOptionsConflict / 86 IndexKeySpecsConflict with mongod's messages otherwise.
 */
export function alreadyExists(existing: readonly IndexSpec[], requested: IndexSpec): boolean {
  const both = (e: IndexSpec) => `Requested index: ${formatShell(requested)}, existing index: ${formatShell(e)}`;
  const sameName = existing.find((e) => e.name === requested.name);
  if (sameName) {
    if (signature(sameName) !== signature(requested)) {
      throw new IndexError(
        ErrorCode.IndexKeySpecsConflict,
        'An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. ' +
          both(sameName),
      );
    }
    if (otherOptions(sameName) !== otherOptions(requested)) {
      throw new IndexError(ErrorCode.IndexOptionsConflict, `An equivalent index already exists with the same name but different options. ${both(sameName)}`);
    }
    return true;
  }
  const sameSignature = existing.find((e) => signature(e) === signature(requested));
  if (sameSignature) {
    if (otherOptions(sameSignature) === otherOptions(requested)) {
      throw new IndexError(ErrorCode.IndexOptionsConflict, `Index already exists with a different name: ${sameSignature.name}`);
    }
    throw new IndexError(ErrorCode.IndexOptionsConflict, `An equivalent index already exists with a different name and options. ${both(sameSignature)}`);
  }
  return false;
}

/**
 * The name of the index `dropIndexes` targets (by name or by key pattern), with mongod's
 * errors: 27 IndexNotFound, 72 InvalidOptions for `_id_`, 181 when a key pattern is ambiguous.
 */
export function resolveIndexName(existing: readonly IndexSpec[], target: string | Doc): string {
  let name: string;
  if (typeof target === 'string') {
    if (!existing.some((e) => e.name === target)) throw new IndexError(ErrorCode.IndexNotFound, `index not found with name [${target}]`);
    name = target;
  } else {
    const matches = existing.filter((e) => valueKey(e.key) === valueKey(target));
    if (!matches.length) throw new IndexError(ErrorCode.IndexNotFound, `can't find index with key: ${formatShell(target)}`);
    if (matches.length > 1) {
      throw new IndexError(
        IndexErrorCode.AmbiguousIndexKeyPattern,
        `${matches.length} indexes found for key: ${formatShell(target)}, identify by name instead. Conflicting indexes: ${matches.map(formatShell).join(', ')}`,
      );
    }
    name = matches[0].name;
  }
  if (name === ID_INDEX_NAME) throw new IndexError(ErrorCode.InvalidOptions, 'cannot drop _id index');
  return name;
}
