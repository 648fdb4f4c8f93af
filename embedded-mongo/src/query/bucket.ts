import { Lazy } from 'mingo/lazy';

import { compareValues } from '../bson/compare.js';
import { typeRank } from '../bson/types.js';
import { MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';
import type { StageOp } from './mingo-types.js';
import { evaluate } from './context.js';
import { sortDocuments } from './sort.js';
import { groupDocuments } from './group.js';
import { bsonTypeName, formatValue, isPlainObject } from './values.js';

/**
 * `$bucket` as mongod desugars it: a `$group` keyed by the lower boundary of the bucket the
 * `groupBy` value falls in (BSON order), then a `$sort` on `_id`.
 */

const fail = (code: number, msg: string) => new MongoCommandError(code, msg);

export const $bucket: StageOp = (coll, spec, options) => {
  if (!isPlainObject(spec)) throw fail(40201, 'Argument to $bucket stage must be an object');
  const { groupBy, boundaries, output } = spec;
  const hasDefault = 'default' in spec;
  const dflt = spec.default;
  if (groupBy === undefined || boundaries === undefined) {
    throw fail(40198, "$bucket requires 'groupBy' and 'boundaries' to be specified.");
  }
  const groupByOk = (typeof groupBy === 'string' && groupBy.startsWith('$')) || isPlainObject(groupBy);
  if (!groupByOk) {
    throw fail(40202, `The $bucket 'groupBy' field must be defined as a $-prefixed path or an expression, but found: ${formatValue(groupBy)}.`);
  }
  if (!Array.isArray(boundaries) || boundaries.length < 2) {
    const n = Array.isArray(boundaries) ? boundaries.length : 0;
    throw fail(40192, `The $bucket 'boundaries' field must have at least 2 values, but found ${n} value(s).`);
  }
  for (let i = 1; i < boundaries.length; i++) {
    const [a, b] = [boundaries[i - 1], boundaries[i]];
    if (typeRank(a) !== typeRank(b)) {
      throw fail(40193, `All values in the the 'boundaries' option to $bucket must have the same type. Found conflicting types ${bsonTypeName(a)} and ${bsonTypeName(b)}.`);
    }
    if (compareValues(a, b) >= 0) {
      throw fail(40194, `The 'boundaries' option to $bucket must be sorted in ascending order, but elements ${i - 1} and ${i} are not in ascending order (${formatValue(a)} is not less than ${formatValue(b)}).`);
    }
  }
  const lowest = boundaries[0];
  const highest = boundaries[boundaries.length - 1];
  if (hasDefault && typeRank(dflt) === typeRank(lowest) && compareValues(dflt, lowest) >= 0 && compareValues(dflt, highest) < 0) {
    throw fail(40199, "The $bucket 'default' field must be less than the lowest boundary or greater than or equal to the highest boundary.");
  }
  const outputSpec = output === undefined ? { count: { $sum: 1 } } : output;
  if (!isPlainObject(outputSpec)) throw fail(40196, "The $bucket 'output' field must be an object");

  const bucketOf = (doc: Doc): unknown => {
    const v = evaluate(doc, groupBy, options);
    if (typeRank(v) === typeRank(lowest) && compareValues(v, lowest) >= 0 && compareValues(v, highest) < 0) {
      let i = 0;
      while (compareValues(v, boundaries[i + 1]) >= 0) i++;
      return boundaries[i];
    }
    if (!hasDefault) {
      throw fail(40066, '$switch could not find a matching branch for an input, and no default was specified.');
    }
    return dflt;
  };
  return coll.transform((docs: Doc[]) => {
    const grouped = groupDocuments(docs, bucketOf, { _id: null, ...outputSpec }, options);
    return Lazy(sortDocuments(grouped, { _id: 1 }));
  });
};
