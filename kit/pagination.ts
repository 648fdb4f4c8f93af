import type mongoose from 'mongoose';
import { badUserInput } from './errors.js';
import { wholeBatch } from './loaders.js';

/** A page request as the SDL declares it on every connection field. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page {
  offset: number;
  limit: number;
}

export interface Connection<T> {
  totalCount: number;
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const PREFIX = 'o:';
export const encodeCursor = (offset: number) => Buffer.from(PREFIX + offset).toString('base64url');

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  const offset = Number(text.slice(PREFIX.length));
  if (!text.startsWith(PREFIX) || !Number.isInteger(offset) || offset < 0) throw badUserInput('after', `'${cursor}' is not a cursor returned by this API`);
  return offset;
}

/** Validates `first`/`after` (negative, oversized or foreign cursors are BAD_USER_INPUT). */
export function parsePage(args: PageArgs, maxPageSize: number, defaultSize = 20): Page {
  const first = args.first ?? defaultSize;
  if (!Number.isInteger(first) || first < 0) throw badUserInput('first', `must be a non-negative integer, got ${first}`);
  if (first > maxPageSize) throw badUserInput('first', `must be at most ${maxPageSize}, got ${first}`);
  const offset = args.after ? decodeCursor(args.after) + 1 : 0;
  return { offset, limit: first };
}

/** Builds a connection from one page of nodes that starts at `page.offset` in the full list. */
export function toConnection<T>(nodes: T[], totalCount: number, page: Page): Connection<T> {
  const edges = nodes.map((node, i) => ({ cursor: encodeCursor(page.offset + i), node }));
  return {
    totalCount,
    edges,
    pageInfo: { hasNextPage: page.offset + nodes.length < totalCount, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
  };
}

/** A connection over an in-memory list (already sorted in the connection's order). */
export function connectionFromArray<T>(all: T[], page: Page): Connection<T> {
  return toConnection(all.slice(page.offset, page.offset + page.limit), all.length, page);
}

/**
 * One page of `model`'s documents matching `filter` in `sort` order, and how many match in all:
 * a count and a find, run at once. The find's first reply holds the whole page. `first: 0` only
 * counts: `limit(0)` would mean "no limit" to MongoDB.
 */
// The documents' lean shape is the caller's to name: models' own type parameters differ from it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function findPage<T>(model: mongoose.Model<any>, filter: Record<string, unknown>, sort: Record<string, 1 | -1>, page: Page): Promise<{ nodes: T[]; totalCount: number }> {
  const [nodes, totalCount] = await Promise.all([
    page.limit === 0 ? ([] as T[]) : model.find(filter).sort(sort).skip(page.offset).limit(page.limit).batchSize(wholeBatch(page.limit)).lean<T[]>().exec(),
    model.countDocuments(filter).exec(),
  ]);
  return { nodes, totalCount };
}
