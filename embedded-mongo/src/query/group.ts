import { evalExpr, OpType } from 'mingo/core';
import { Lazy } from 'mingo/lazy';
import type { Options } from 'mingo/types';
import { valueKey } from '../bson/value-key.js';
import { MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';
import type { StageOp } from './mingo-types.js';
import { evaluate } from './context.js';
import { sortDocuments } from './sort.js';
import { isPlainObject } from './values.js';

/**
 * `$group` and `$sortByCount` with group keys compared by BSON equality (ObjectIds, numbers of
 * every width), accumulators evaluated by mingo. Groups come out in first-seen order.
 */

const fail = (code: number, msg: string) => new MongoCommandError(code, msg);

/** Groups `docs` by `key` (BSON equality) and evaluates the accumulator fields of `spec`. */
export function groupDocuments(
  docs: Doc[],
  key: (doc: Doc) => unknown,
  spec: Doc,
  options: Options,
): Doc[] {
  const fields = Object.keys(spec).filter((f) => f !== '_id');
  for (const f of fields) {
    if (f.includes('.')) throw fail(40235, `The field name '${f}' cannot contain '.'`);
    const acc = spec[f];
    const names = isPlainObject(acc) ? Object.keys(acc) : [];
    if (names.length !== 1) throw fail(40234, `The field '${f}' must be an accumulator object`);
    if (!options.context.getOperator(OpType.ACCUMULATOR, names[0])) {
      throw fail(15952, `unknown group operator '${names[0]}'`);
    }
  }
  const groups = new Map<string, { id: unknown; docs: Doc[] }>();
  for (const doc of docs) {
    const id = key(doc) ?? null;
    const k = valueKey(id);
    const g = groups.get(k);
    if (g) g.docs.push(doc);
    else groups.set(k, { id, docs: [doc] });
  }
  return [...groups.values()].map(({ id, docs: members }) => {
    const out: Doc = { _id: id };
    for (const f of fields) out[f] = evalExpr(members, spec[f], options) ?? null;
    return out;
  });
}

export const $group: StageOp = (coll, spec, options) => {
  if (!isPlainObject(spec) || !('_id' in spec)) throw fail(15955, 'a group specification must specify an _id');
  return coll.transform((docs: Doc[]) =>
    Lazy(groupDocuments(docs, (doc) => evaluate(doc, spec._id, options), spec, options)),
  );
};

export const $sortByCount: StageOp = (coll, expr, options) => {
  const ok = (typeof expr === 'string' && expr.startsWith('$')) || (isPlainObject(expr) && Object.keys(expr)[0]?.startsWith('$'));
  if (!ok) {
    throw fail(40148, 'the sortByCount field must be specified as a string representing a path or an object with an expression');
  }
  return coll.transform((docs: Doc[]) => {
    const grouped = groupDocuments(docs, (doc) => evaluate(doc, expr, options), { _id: expr, count: { $sum: 1 } }, options);
    return Lazy(sortDocuments(grouped, { count: -1 }));
  });
};

