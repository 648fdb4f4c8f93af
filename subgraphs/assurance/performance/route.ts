import type { IncomingMessage, ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import type { RouteDeps, RouteHandler } from '../../../kit/subgraph.js';
import type { Models } from '../models.js';
import { ingestMeasurements, MAX_MEASUREMENTS } from './ingest.js';

interface LineError { code: string; message: string; field: string | null }
/** One answer line: the stored measurement's id and status, or the line's error. */
type AnswerLine = { line: number; id: string; status: string } | { line: number; error: LineError };
/** One non-blank input line: its number and its JSON (or why it is not JSON). */
interface InputLine { line: number; input: unknown; notJson?: string }

function write(res: ServerResponse, lines: readonly object[]): Promise<void> {
  if (!lines.length || res.destroyed) return Promise.resolve();
  // Back-pressure: a slow reader of a large answer must not make us buffer all of it.
  if (res.write(lines.map((l) => JSON.stringify(l)).join('\n') + '\n')) return Promise.resolve();
  return new Promise((resolve) => {
    res.once('drain', resolve);
    res.once('close', resolve);
  });
}

function parseLine(line: number, text: string): InputLine {
  try {
    return { line, input: JSON.parse(text) };
  } catch (err) {
    return { line, input: null, notJson: (err as Error).message };
  }
}

/** Stores one chunk of lines and answers each. */
async function ingestChunk(deps: RouteDeps<Models>, res: ServerResponse, chunk: readonly InputLine[]): Promise<void> {
  const json = chunk.filter((l) => l.notJson === undefined);
  const outcomes = await ingestMeasurements(deps, json.map((l) => l.input as object), () => '');
  const byLine = new Map(json.map((l, i) => [l.line, outcomes[i]]));
  await write(res, chunk.map((l): AnswerLine => {
    if (l.notJson !== undefined) return { line: l.line, error: { code: 'BAD_USER_INPUT', message: `not a JSON object: ${l.notJson}`, field: null } };
    const o = byLine.get(l.line)!;
    return o.error ? { line: l.line, error: o.error } : { line: l.line, id: o.record._id, status: o.status };
  }));
}

/**
 * `POST /measurements`: one `MeasurementInput` JSON object per line (NDJSON), for EMS and probe
 * feeds too large for a GraphQL request. Answered with one NDJSON line per non-blank input line,
 * in order: `{ line, id, status }` (status CREATED, UPDATED or UNCHANGED) or `{ line, error: {
 * code, message, field } }`; nothing is written for a refused line. The body is read and stored
 * in chunks as it arrives, so its size is not limited. When a chunk fails as a whole (inventory or
 * database unavailable) the answer ends with `{ line, error }` naming the chunk's first line and
 * `{ aborted: true }`: lines before that one are stored, it and later ones are not.
 */
export function measurementsRoute(deps: RouteDeps<Models>): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const reader = createInterface({ input: req, crlfDelay: Infinity });
    let lineNo = 0;
    let chunk: InputLine[] = [];
    try {
      for await (const text of reader) {
        lineNo += 1;
        if (text.trim() === '') continue;
        chunk.push(parseLine(lineNo, text));
        if (chunk.length < MAX_MEASUREMENTS) continue;
        await ingestChunk(deps, res, chunk);
        chunk = [];
      }
      if (chunk.length) await ingestChunk(deps, res, chunk);
    } catch (err) {
      const e = err as Error & { extensions?: { code?: unknown } };
      const code = typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR';
      await write(res, [{ line: chunk[0]?.line ?? lineNo, error: { code, message: e.message, field: null } }, { aborted: true }]);
      reader.close();
    }
    res.end();
  };
}
