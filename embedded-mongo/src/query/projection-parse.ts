import { badValue, MongoCommandError, notImplemented } from '../errors.js';
import type { Doc } from '../types.js';
import { isPlainObject } from './values.js';

/**
 * Parsing of projection specs (find projections, `$project`, `$unset`, `$addFields`/`$set`) into
 * a tree of path components, with mongod's validation (inclusion/exclusion mixing, path
 * collisions). Applying the tree is in projection-tree.ts.
 */

export type PNode =
  | { kind: 'include' }
  | { kind: 'exclude' }
  | { kind: 'expr'; expr: unknown }
  | { kind: 'slice'; skip: number | undefined; limit: number }
  | { kind: 'elemMatch'; test: (el: unknown) => boolean }
  | { kind: 'positional' }
  | PTree;
export interface PTree {
  kind: 'tree';
  children: Map<string, PNode>;
  /** Some descendant is a computed (expression) field. */
  computed: boolean;
}

/** find: projection of the find command; project: `$project`; addFields: `$addFields`/`$set`. */
export type Flavor = 'find' | 'project' | 'addFields';

export interface ParsedProjection {
  root: PTree;
  mode: 'inclusion' | 'exclusion' | 'addFields';
  /** Path of the array named by a positional `field.$` projection. */
  positionalPath?: string[];
}

export interface ParseHooks {
  /** Compiles `$elemMatch` criteria into an element predicate (find only). */
  elemMatch?: (criteria: Doc) => (el: unknown) => boolean;
}

const newTree = (): PTree => ({ kind: 'tree', children: new Map(), computed: false });
const fail = (code: number, msg: string) => new MongoCommandError(code, msg);

export function parseProjection(spec: Doc, flavor: Flavor, hooks: ParseHooks = {}): ParsedProjection {
  const root = newTree();
  let mode: 'inclusion' | 'exclusion' | undefined;
  let idOnly: 'include' | 'exclude' | undefined;
  let positionalPath: string[] | undefined;

  const setMode = (node: PNode, path: string) => {
    if (flavor === 'addFields' || node.kind === 'slice' || node.kind === 'tree') return;
    const isId = path === '_id' && (node.kind === 'include' || node.kind === 'exclude');
    if (isId) {
      idOnly = node.kind;
      return;
    }
    if (node.kind === 'exclude') {
      if (mode === 'inclusion') throw fail(31254, `Cannot do exclusion on field ${path} in inclusion projection`);
      mode = 'exclusion';
    } else {
      if (mode === 'exclusion') {
        if (node.kind === 'expr') throw fail(31252, 'Cannot use expression other than $meta in exclusion projection');
        throw fail(31253, `Cannot do inclusion on field ${path} in exclusion projection`);
      }
      mode = 'inclusion';
    }
  };

  const insert = (parts: string[], node: PNode) => {
    const path = parts.join('.');
    setMode(node, path);
    let t = root;
    for (let i = 0; i < parts.length - 1; i++) {
      let child = t.children.get(parts[i]);
      if (!child) t.children.set(parts[i], (child = newTree()));
      else if (child.kind !== 'tree') throw fail(31249, `Path collision at ${path} remaining portion ${parts.slice(i + 1).join('.')}`);
      if (node.kind === 'expr') child.computed = true;
      t = child;
    }
    const last = parts[parts.length - 1];
    if (t.children.has(last)) throw fail(31250, `Path collision at ${path}`);
    t.children.set(last, node);
  };

  const walk = (obj: Doc, prefix: string[]) => {
    for (const key of Object.keys(obj)) {
      const value = obj[key];
      const parts = [...prefix, ...key.split('.')];
      if (parts.some((p) => p === '')) throw fail(40352, 'FieldPath cannot be constructed with empty string');
      if (flavor === 'find' && parts[parts.length - 1] === '$' && parts.length > 1) {
        const arrayPath = parts.slice(0, -1);
        if (arrayPath.some((p) => p.startsWith('$'))) throw fail(31394, `Positional projection '${key}' contains the positional operator multiple times`);
        if (positionalPath) throw fail(31276, 'Cannot specify more than one positional projection per query.');
        if (!(value === true || (typeof value === 'number' && value !== 0))) {
          throw fail(31395, `positional projection cannot be used with exclusion: '${key}'`);
        }
        positionalPath = arrayPath;
        insert(arrayPath, { kind: 'positional' });
        continue;
      }
      if (parts.some((p) => p.startsWith('$'))) throw fail(16410, `FieldPath field names may not start with '$'. Given: '${key}'`);
      const node = classify(value, parts, flavor, hooks);
      if (node) insert(parts, node);
      else walk(value as Doc, parts);
    }
  };

  if (!isPlainObject(spec)) throw badValue('projection must be an object');
  walk(spec, []);

  if (flavor === 'addFields') return { root, mode: 'addFields' };
  const finalMode = mode ?? (idOnly === 'include' ? 'inclusion' : 'exclusion');
  if (finalMode === 'inclusion' && !root.children.has('_id')) root.children.set('_id', { kind: 'include' });
  return { root, mode: finalMode, positionalPath };
}

/** The node for one projection value, or undefined when the value is a nested sub-projection. */
function classify(value: unknown, parts: string[], flavor: Flavor, hooks: ParseHooks): PNode | undefined {
  if (flavor === 'addFields') {
    const nested = isPlainObject(value) && Object.keys(value).length > 0 && !Object.keys(value)[0].startsWith('$');
    return nested ? undefined : { kind: 'expr', expr: value };
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value ? { kind: 'include' } : { kind: 'exclude' };
  if (!isPlainObject(value)) return { kind: 'expr', expr: value };
  const keys = Object.keys(value);
  if (!keys.length) throw fail(51270, `An empty sub-projection is not a valid value. Found empty object at path ${parts.join('.')}`);
  if (!keys[0].startsWith('$')) return undefined;
  if (keys[0] === '$meta') throw notImplemented(`$meta projection`);
  if (flavor === 'find' && keys[0] === '$slice') return parseSlice(value.$slice);
  if (flavor === 'find' && keys[0] === '$elemMatch') {
    if (parts.length > 1) throw fail(31275, 'Cannot use $elemMatch projection on a nested field.');
    if (!isPlainObject(value.$elemMatch)) throw fail(31274, 'elemMatch: Invalid argument, object required.');
    const compile = hooks.elemMatch;
    if (!compile) throw notImplemented('$elemMatch projection');
    return { kind: 'elemMatch', test: compile(value.$elemMatch) };
  }
  return { kind: 'expr', expr: value };
}

function parseSlice(arg: unknown): PNode {
  if (typeof arg === 'number') return { kind: 'slice', skip: undefined, limit: Math.trunc(arg) };
  if (Array.isArray(arg) && arg.length === 2 && arg.every((x) => typeof x === 'number')) {
    const [skip, limit] = arg as number[];
    if (limit <= 0) throw fail(28724, 'Second argument to $slice must be positive');
    return { kind: 'slice', skip: Math.trunc(skip), limit: Math.trunc(limit) };
  }
  throw fail(28667, 'Argument to $slice must be a number or an array of two numbers');
}
