import { randomUUID } from 'node:crypto';
import { conflict } from '../../../kit/errors.js';
import type { Models, ProductOrderDoc } from '../models.js';
import { recordCreation, runOrderTransaction } from '../outbox.js';
import type { OrderContext } from '../resolvers/context.js';
import { checkInput, submissionHash, type Submission, type SubmitProductOrderInput } from './input.js';
import { loadReferences } from './reference-lookups.js';
import { checkReferences, type Verdict } from './references.js';

const DUPLICATE_KEY = 11000;

function findByKey(models: Models, customerId: string, idempotencyKey: string): Promise<ProductOrderDoc | null> {
  return models.ProductOrder.findOne({ customerId, externalId: idempotencyKey }).lean<ProductOrderDoc>().exec();
}

/** E11000 on the idempotency key index (not on `_id` or anything else). */
function isKeyClash(err: unknown): boolean {
  const e = err as { code?: number; keyPattern?: Record<string, unknown>; message?: string };
  return e.code === DUPLICATE_KEY && (e.keyPattern ? 'externalId' in e.keyPattern : /externalId/.test(e.message ?? ''));
}

/**
 * The answer to a submission whose key is taken: the original order when the payload is the
 * same (a retry), CONFLICT when it differs (the key was reused for another order — returning the
 * original would tell the client an order it did not ask for was placed). Orders stored without
 * a fingerprint (seeded ones) cannot be compared and are returned.
 */
function answerRetry(original: ProductOrderDoc, hash: string): ProductOrderDoc {
  if (original.submissionHash && original.submissionHash !== hash) {
    throw conflict(`idempotencyKey '${original.externalId}' was already used by customer ${original.customerId} for a different order (${original._id}); use a new key for a new order`);
  }
  return original;
}

function newOrder(s: Submission, verdict: Verdict, hash: string, now: Date): ProductOrderDoc {
  const state = verdict.refusals.length ? 'REJECTED' : 'ACKNOWLEDGED';
  return {
    _id: `PO-${randomUUID()}`,
    externalId: s.idempotencyKey,
    customerId: s.customerId,
    billingAccountId: null,
    state,
    priority: s.priority,
    orderDate: now,
    requestedStartDate: s.requestedStartDate,
    completionDate: state === 'REJECTED' ? now : null, // rejected is terminal
    cancellationReason: null,
    paymentMethod: s.paymentMethod,
    items: s.items.map((item, i) => ({
      id: String(i + 1),
      action: item.action,
      state,
      quantity: item.quantity,
      productOfferingId: item.productOfferingId,
      characteristics: verdict.characteristics[i],
      serviceId: null,
    })),
    notes: verdict.refusals.map((text) => ({ author: null, date: now, text })),
    version: 1,
    submissionHash: hash,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * `submitProductOrder`: checks the input, then answers a known (customer, key) with the original
 * order before asking any other subgraph; otherwise validates against customer and catalog and
 * stores the order with its create event in one transaction. Two concurrent submissions with one
 * key race on the unique index: the loser reads the winner's order back and answers with it.
 */
export async function submitProductOrder(ctx: OrderContext, input: SubmitProductOrderInput): Promise<ProductOrderDoc> {
  const { models, loaders } = ctx;
  const submission = checkInput(input);
  const hash = submissionHash(submission);
  const existing = await findByKey(models, submission.customerId, submission.idempotencyKey);
  if (existing) return answerRetry(existing, hash);

  const verdict = checkReferences(submission, await loadReferences(ctx.config, submission));
  const order = newOrder(submission, verdict, hash, new Date());
  try {
    await runOrderTransaction(models, (session) => recordCreation(models, session, order));
  } catch (err) {
    if (!isKeyClash(err)) throw err;
    const winner = await findByKey(models, submission.customerId, submission.idempotencyKey);
    if (!winner) throw err;
    return answerRetry(winner, hash);
  }
  loaders.productOrderById.prime(order._id, order);
  loaders.productOrdersByCustomerId.clear(order.customerId);
  return order;
}
