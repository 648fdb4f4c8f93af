import { MongoClientBulkWriteError, type ClientBulkWriteResult } from 'mongodb';
import type { ClientSession } from 'mongoose';
import type { Models, OrderEventDoc } from './models.js';

/**
 * The writes of one order transaction, sent to the database as ONE multi-collection `bulkWrite`
 * (MongoDB 8): the service order, the product order and their outbox events together. A state
 * change's event is stamped when its transaction is about to write; every round trip between that
 * stamp and the commit delays the subscribers who wait for it, so a transaction makes its reads,
 * stamps, then writes once.
 *
 * Writes run in the order they were queued (the events last); an update that must change exactly
 * one document says what to report when it does not, and the batch throws that after the write —
 * inside a transaction nothing of the batch is then kept.
 */
export class OrderWriteBatch {
  private readonly ops: BatchOp[] = [];
  private readonly mustMatch = new Map<number, () => Error>();
  private readonly events: OrderEventDoc[] = [];

  constructor(readonly models: Models, readonly session: ClientSession) {}

  insert(model: NamedModel, document: object): void {
    this.ops.push({ model: model.modelName, name: 'insertOne', document });
  }

  /** Updates one document; `unmatched` (when given) is the error to throw if the filter matched none. */
  update(model: NamedModel, filter: Record<string, unknown>, update: Record<string, unknown>, unmatched?: () => Error): void {
    if (unmatched) this.mustMatch.set(this.ops.length, unmatched);
    this.ops.push({ model: model.modelName, name: 'updateOne', filter, update });
  }

  /** Appends events to the outbox: written after every other write of the batch. */
  append(...events: OrderEventDoc[]): void {
    this.events.push(...events);
  }

  /** Sends what was queued (nothing when nothing was) and checks the updates that had to match. */
  async flush(): Promise<void> {
    const ops = [...this.ops, ...this.events.map((event): BatchOp => ({ model: this.models.OrderEvent.modelName, name: 'insertOne', document: event as object }))];
    this.ops.length = 0;
    this.events.length = 0;
    if (!ops.length) return;
    const result = await bulkWrite(this.models, this.session, ops, this.mustMatch.size > 0);
    for (const [index, unmatched] of this.mustMatch) {
      if (result.updateResults?.get(index)?.matchedCount !== 1) throw unmatched();
    }
    this.mustMatch.clear();
  }
}

/** A model as the batch needs it: the connection's bulkWrite finds it (and casts for it) by name. */
type NamedModel = { modelName: string };
type BatchOp = Parameters<Models['ProductOrder']['db']['bulkWrite']>[0][number];

/**
 * The driver wraps every server error of a client bulk write; the transaction helpers look for
 * the server's own error (its labels say whether to retry, its code what went wrong).
 */
async function bulkWrite(models: Models, session: ClientSession, ops: BatchOp[], verboseResults: boolean): Promise<ClientBulkWriteResult> {
  try {
    return await models.ProductOrder.db.bulkWrite(ops, { session, ordered: true, verboseResults });
  } catch (err) {
    if (!(err instanceof MongoClientBulkWriteError)) throw err;
    if (err.cause) throw err.cause;
    const [first] = err.writeErrors.values();
    throw first ? Object.assign(new Error(first.message), { code: first.code }) : err;
  }
}
