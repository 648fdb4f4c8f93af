import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../../../kit/errors.js';
import type { RouteDeps, RouteHandler } from '../../../kit/subgraph.js';
import type { Models } from '../models.js';
import { INGEST_BATCH, raiseAlarms } from './index.js';
import type { AlarmInputError } from './types.js';

/** A line longer than this is refused (an EMS alarm is a few hundred bytes). */
const MAX_LINE = 64 * 1024;

/** One input line: its number (1-based, blank lines count) and its JSON, or why it is not JSON. */
interface Line {
  line: number;
  value?: unknown;
  error?: AlarmInputError;
}

/**
 * `POST /alarms`: an EMS feed as NDJSON, one `RaiseAlarmInput` per line, thousands per request.
 * Answered as NDJSON too, one line per non-blank input line, in order: `{ line, id, state }` for a
 * stored alarm (created RAISED, or UPDATED by deduplication), `{ line, error: { code, message,
 * field } }` for a refused one — bad lines never stop the good ones. The body is read as it
 * arrives and stored batch by batch (`INGEST_BATCH` lines per transaction): the next batch is
 * parsed while the previous one is written, and at most two are held in memory.
 */
export function alarmRoutes(deps: RouteDeps<Models>): Record<string, RouteHandler> {
  return { '/alarms': (req, res) => ingestNdjson(deps, req, res) };
}

async function ingestNdjson(deps: RouteDeps<Models>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-cache' });
  let batch: Line[] = [];
  let previous: Promise<void> = Promise.resolve();
  for await (const line of lines(req)) {
    batch.push(line);
    if (batch.length < INGEST_BATCH) continue;
    await previous;
    previous = store(deps, batch, res);
    batch = [];
  }
  await previous;
  if (batch.length) await store(deps, batch, res);
  res.end();
}

/** Non-blank lines of the body, parsed; invalid JSON and over-long lines become errors. */
async function* lines(req: IncomingMessage): AsyncGenerator<Line> {
  const decoder = new TextDecoder();
  let rest = '';
  let number = 0;
  const parse = (text: string): Line | null => {
    number += 1;
    if (text.trim() === '') return null;
    if (text.length > MAX_LINE) return { line: number, error: { code: ErrorCode.BAD_USER_INPUT, message: `line longer than ${MAX_LINE} characters`, field: null } };
    try {
      return { line: number, value: JSON.parse(text) };
    } catch (err) {
      return { line: number, error: { code: ErrorCode.BAD_USER_INPUT, message: `not a JSON object: ${(err as Error).message}`, field: null } };
    }
  };
  for await (const chunk of req as AsyncIterable<Buffer>) {
    const parts = (rest + decoder.decode(chunk, { stream: true })).split('\n');
    rest = parts.pop()!;
    // An endless line would grow `rest` without bound: cut it off, it is refused anyway.
    if (rest.length > MAX_LINE) rest = rest.slice(0, MAX_LINE + 1);
    for (const part of parts) {
      const line = parse(part);
      if (line) yield line;
    }
  }
  const last = parse(rest + decoder.decode());
  if (last) yield last;
}

/** Stores one batch and writes its answer lines; a failure of the whole batch answers each of its lines with it. */
async function store(deps: RouteDeps<Models>, batch: Line[], res: ServerResponse): Promise<void> {
  const parsed = batch.filter((l) => !l.error);
  let answers: string[];
  try {
    const results = await raiseAlarms(deps, parsed.map((l) => l.value));
    const byLine = new Map(parsed.map((l, i) => [l.line, results[i]]));
    answers = batch.map((l) => {
      const result = byLine.get(l.line);
      const error = l.error ?? result?.error;
      return JSON.stringify(error ? { line: l.line, error } : { line: l.line, id: result!.alarm!._id, state: result!.alarm!.state });
    });
  } catch (err) {
    const code = (err as { extensions?: { code?: unknown } }).extensions?.code;
    const error = { code: typeof code === 'string' ? code : ErrorCode.INTERNAL_SERVER_ERROR, message: (err as Error).message, field: null };
    deps.log(`POST /alarms: a batch of ${parsed.length} alarms failed: ${error.message}`);
    answers = batch.map((l) => JSON.stringify({ line: l.line, error: l.error ?? error }));
  }
  if (!res.write(answers.join('\n') + '\n')) await new Promise<void>((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
}
