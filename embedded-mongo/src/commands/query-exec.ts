import { compileFilter } from '../query/filter.js';
import { compileProjection } from '../query/projection.js';
import { compileSort, sortDocuments } from '../query/sort.js';
import type { Collection } from '../storage/collection.js';
import type { ReadView } from '../storage/read-view.js';
import type { Doc } from '../types.js';

export interface QuerySpec {
  filter?: Doc;
  sort?: Doc;
  projection?: Doc;
  skip?: number;
  limit?: number;
}

export interface QueryResult {
  docs: Doc[];
  plan: string;
  keysExamined: number;
  docsExamined: number;
}

/**
 * Runs a query against a view: index candidates (or a scan), the full filter on each, then
 * sort, skip, limit and projection, in mongod's order. A missing collection yields nothing.
 */
export function runQuery(view: ReadView, coll: Collection | undefined, spec: QuerySpec): QueryResult {
  // Compile first: a bad filter is an error even when the collection does not exist.
  const filter = spec.filter ?? {};
  const test = compileFilter(filter);
  const project = spec.projection && Object.keys(spec.projection).length > 0 ? compileProjection(spec.projection, filter) : undefined;
  if (spec.sort) compileSort(spec.sort);
  if (!coll) return { docs: [], plan: 'EOF', keysExamined: 0, docsExamined: 0 };
  const { entries, plan, keysExamined } = view.candidates(coll, filter);
  const sorted = spec.sort && Object.keys(spec.sort).length > 0;
  // Without a sort, stop as soon as skip + limit documents matched.
  const wanted = !sorted && spec.limit ? (spec.skip ?? 0) + spec.limit : Infinity;
  let matched: Doc[] = [];
  let docsExamined = 0;
  for (const [, doc] of entries) {
    docsExamined++;
    if (test(doc)) matched.push(doc);
    if (matched.length >= wanted) break;
  }
  if (sorted) matched = sortDocuments(matched, spec.sort!);
  const start = spec.skip ?? 0;
  const end = spec.limit ? start + spec.limit : undefined;
  let docs = matched.slice(start, end);
  if (project) docs = docs.map(project);
  return { docs, plan, keysExamined, docsExamined };
}

/** Matching documents in natural (or given) order, for writes: update/delete/findAndModify. */
export function matchingDocs(view: ReadView, coll: Collection, filter: Doc, sort?: Doc, limit?: number): Doc[] {
  return runQuery(view, coll, { filter, sort, limit }).docs;
}
