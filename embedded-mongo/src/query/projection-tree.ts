import type { Doc } from '../types.js';
import type { PTree } from './projection-parse.js';
import { isPlainObject } from './values.js';

/**
 * Applies a parsed projection tree (see projection-parse.ts). The input is never modified;
 * untouched subtrees are shared with it.
 */

function applySlice(v: unknown, node: { skip: number | undefined; limit: number }): unknown {
  if (!Array.isArray(v)) return v;
  if (node.skip === undefined) return node.limit >= 0 ? v.slice(0, node.limit) : v.slice(Math.max(0, v.length + node.limit));
  const start = node.skip < 0 ? Math.max(0, v.length + node.skip) : Math.min(node.skip, v.length);
  return v.slice(start, start + node.limit);
}

export interface ApplyContext {
  /** Evaluates a computed field's expression against the root document. */
  evaluate(expr: unknown): unknown;
  /** Index chosen for the positional projection (find), if any. */
  positionalIndex?: number;
}

/** Inclusion projection: included fields in document order, then computed fields in spec order. */
export function applyInclusion(doc: Doc, tree: PTree, ctx: ApplyContext): Doc {
  const out: Doc = {};
  for (const key of Object.keys(doc)) {
    const child = tree.children.get(key);
    if (!child) continue;
    const v = doc[key];
    switch (child.kind) {
      case 'include':
        out[key] = v;
        break;
      case 'slice':
        out[key] = applySlice(v, child);
        break;
      case 'tree': {
        const r = includeValue(v, child, ctx);
        if (r !== undefined) out[key] = r;
        break;
      }
      case 'elemMatch':
        if (Array.isArray(v)) {
          const i = v.findIndex((el) => child.test(el));
          if (i >= 0) out[key] = [v[i]];
        }
        break;
      case 'positional':
        if (Array.isArray(v) && ctx.positionalIndex !== undefined && ctx.positionalIndex < v.length) {
          out[key] = [v[ctx.positionalIndex]];
        }
        break;
      default:
        break;
    }
  }
  for (const [key, child] of tree.children) {
    if (child.kind === 'expr') {
      const r = ctx.evaluate(child.expr);
      if (r !== undefined) out[key] = r;
    } else if (child.kind === 'tree' && child.computed && !(key in out)) {
      out[key] = applyInclusion({}, child, ctx);
    }
  }
  return out;
}

const DROP = Symbol('drop');

function includeValue(v: unknown, tree: PTree, ctx: ApplyContext): unknown {
  if (isPlainObject(v)) return applyInclusion(v, tree, ctx);
  if (Array.isArray(v)) {
    const mapped = v.map((el) => {
      if (isPlainObject(el) || Array.isArray(el)) return includeValue(el, tree, ctx);
      return tree.computed ? applyInclusion({}, tree, ctx) : DROP;
    });
    return mapped.filter((x) => x !== DROP);
  }
  return tree.computed ? applyInclusion({}, tree, ctx) : undefined;
}

/** Exclusion projection (also carries `$slice` and `_id: 1` in exclusion mode). */
export function applyExclusion(doc: Doc, tree: PTree): Doc {
  const out: Doc = {};
  for (const key of Object.keys(doc)) {
    const child = tree.children.get(key);
    const v = doc[key];
    if (!child || child.kind === 'include') out[key] = v;
    else if (child.kind === 'slice') out[key] = applySlice(v, child);
    else if (child.kind === 'tree') out[key] = excludeValue(v, child);
  }
  return out;
}

function excludeValue(v: unknown, tree: PTree): unknown {
  if (isPlainObject(v)) return applyExclusion(v, tree);
  if (Array.isArray(v)) return v.map((el) => excludeValue(el, tree));
  return v;
}

/** `$addFields`/`$set`: existing fields keep their position, new ones are appended. */
export function applyAddFields(value: unknown, tree: PTree, ctx: ApplyContext): Doc {
  const base = isPlainObject(value) ? value : {};
  const out: Doc = { ...base };
  for (const [key, child] of tree.children) {
    if (child.kind === 'expr') {
      const r = ctx.evaluate(child.expr);
      if (r === undefined) delete out[key];
      else out[key] = r;
    } else if (child.kind === 'tree') {
      out[key] = addFieldsValue(base[key], child, ctx);
    }
  }
  return out;
}

function addFieldsValue(v: unknown, tree: PTree, ctx: ApplyContext): unknown {
  if (Array.isArray(v)) return v.map((el) => addFieldsValue(el, tree, ctx));
  return applyAddFields(v, tree, ctx);
}
