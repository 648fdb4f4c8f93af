/**
 * The live-alarm subscriber of `npm run bench:assurance`, in a worker thread: one graphql-ws
 * subscription to `alarmChanged` through the gateway, stamping every delivery as it arrives.
 * On the stack's own event loop a delivery would be stamped only once the loop got round to it
 * (the storm keeps it busy), which would add the stack's backlog to the measured delay a second
 * time, and the client's parsing of 100,000 messages would steal the CPU being measured.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { wsClient } from '../gateway/test/helpers/ws-client.js';
import { decodeCursor } from '../subgraphs/assurance/live/cursor.js';

export interface SubscriberData {
  url: string;
  query: string;
  variables: Record<string, unknown>;
}

export type ToSubscriber =
  /** Answer `seen` once this alarm has been delivered (at once if it already was). */
  | { type: 'watch'; alarmId: string }
  /** Stop when every one of `ids` was delivered, nothing arrived for `idleMs`, or after `timeoutMs`; then `report`. */
  | { type: 'finish'; ids: string[]; idleMs: number; timeoutMs: number };

export interface DeliveryReport {
  /** Every delivery received, the probe's included. */
  deliveries: number;
  /** Distinct alarms of `ids` delivered at least once. */
  delivered: number;
  /** Deliveries of a cursor already delivered (must be 0). */
  duplicates: number;
  /** Deliveries whose cursor is not after the previous one (must be 0). */
  outOfOrder: number;
  /** Sum of `coalesced` over the deliveries of `ids`: the changes they stand for. */
  changes: number;
  /** Change time and arrival time (ms since epoch) of each delivery of `ids`, in arrival order. */
  at: Float64Array;
  receivedAt: Float64Array;
  ended: 'all delivered' | 'idle' | 'timeout';
}

export type FromSubscriber = { type: 'seen'; alarmId: string } | { type: 'error'; message: string } | { type: 'report'; report: DeliveryReport };

interface Change {
  cursor: string;
  at: string;
  coalesced: number;
  alarm: { id: string };
}

const port = parentPort!;
const { url, query, variables } = workerData as SubscriberData;
const post = (message: FromSubscriber, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

// Parallel arrays rather than one object per delivery: 100,000 of them stay cheap to keep and sort.
const ids: string[] = [];
const ats: number[] = [];
const arrivals: number[] = [];
const coalesced: number[] = [];
const delivered = new Set<string>();
const watched = new Set<string>();
let lastSeq = -1;
let duplicates = 0;
let outOfOrder = 0;
let lastArrival = Date.now();
/** Called with each delivered alarm, and whether it is the first delivery of that alarm. */
let onDelivery: ((alarmId: string, first: boolean) => void) | undefined;

const client = wsClient(url);
const stop = client.subscribe<{ alarmChanged: Change }>({ query, variables }, {
  next: ({ data, errors }) => {
    const receivedAt = Date.now();
    if (errors?.length) return post({ type: 'error', message: `subscription error: ${errors.map((e) => e.message).join('; ')}` });
    const change = data!.alarmChanged;
    lastArrival = receivedAt;
    const seq = decodeCursor('AlarmChange', change.cursor);
    // Cursors are handed out in increasing order; the same one twice is a duplicate, a smaller one a reordering.
    if (seq === lastSeq) duplicates += 1;
    else if (seq < lastSeq) outOfOrder += 1;
    lastSeq = Math.max(lastSeq, seq);
    ids.push(change.alarm.id);
    ats.push(Date.parse(change.at));
    arrivals.push(receivedAt);
    coalesced.push(change.coalesced);
    const first = !delivered.has(change.alarm.id);
    delivered.add(change.alarm.id);
    if (watched.delete(change.alarm.id)) post({ type: 'seen', alarmId: change.alarm.id });
    onDelivery?.(change.alarm.id, first);
  },
  error: (err) => post({ type: 'error', message: `subscription failed: ${err instanceof Error ? err.message : JSON.stringify(err)}` }),
  complete: () => post({ type: 'error', message: 'the gateway completed the subscription' }),
});

function finish(expectedIds: string[], idleMs: number, timeoutMs: number): void {
  const expected = new Set(expectedIds);
  let missing = expected.size;
  for (const id of delivered) if (expected.has(id)) missing -= 1;
  const started = Date.now();
  let done = false;
  const end = (ended: DeliveryReport['ended']) => {
    if (done) return;
    done = true;
    clearInterval(timer);
    onDelivery = undefined;
    stop();
    const at: number[] = [];
    const receivedAt: number[] = [];
    let changes = 0;
    for (let i = 0; i < ids.length; i++) {
      if (!expected.has(ids[i])) continue;
      at.push(ats[i]);
      receivedAt.push(arrivals[i]);
      changes += coalesced[i];
    }
    const report: DeliveryReport = {
      deliveries: ids.length, delivered: expected.size - missing, duplicates, outOfOrder, changes,
      at: Float64Array.from(at), receivedAt: Float64Array.from(receivedAt), ended,
    };
    post({ type: 'report', report }, [report.at.buffer as ArrayBuffer, report.receivedAt.buffer as ArrayBuffer]);
    void Promise.resolve(client.dispose()).catch(() => {});
  };
  onDelivery = (alarmId, first) => {
    if (first && expected.has(alarmId)) missing -= 1;
    if (missing <= 0) end('all delivered');
  };
  const timer = setInterval(() => {
    const now = Date.now();
    if (now - started > timeoutMs) end('timeout');
    // Idle from when finishing began at the earliest: a feed that stalled during the storm may still catch up.
    else if (now - Math.max(lastArrival, started) > idleMs) end('idle');
  }, 100);
  if (missing <= 0) end('all delivered');
}

port.on('message', (message: ToSubscriber) => {
  if (message.type === 'watch') {
    if (delivered.has(message.alarmId)) post({ type: 'seen', alarmId: message.alarmId });
    else watched.add(message.alarmId);
  } else {
    finish(message.ids, message.idleMs, message.timeoutMs);
  }
});
