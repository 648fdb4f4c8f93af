import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../kit/config.js';
import type { OutboxEvent } from '../../../kit/outbox/types.js';
import { startSubgraph } from '../../../kit/subgraph.js';
import { useStarted } from '../../../kit/test-suite.js';
import { graphqlRequest, seedSubgraph, startTestMongo, testConfig } from '../../../kit/testing.js';
import { interactionIdFor, noteOrderOutcome, ORDER_NOTES_CONSUMER, type CustomerReactionDeps } from '../order-notes/order-note.js';
import { subgraph } from '../index.js';
import { customerWorld } from './fixture.js';

/**
 * CRM notes on order outcomes (order-to-activate step 7) against the real customer database and
 * subgraph: the reaction is handed order outbox events shaped as the contract says.
 */
const sut = useStarted(async () => {
  const mongo = await startTestMongo();
  await seedSubgraph(subgraph, mongo.uri, customerWorld);
  const base = testConfig();
  // The order feed points nowhere: these tests hand events to the reaction themselves.
  const config: AppConfig = { ...base, subgraphs: { ...base.subgraphs, order: { port: 0, url: 'http://127.0.0.1:1/graphql' } } };
  const running = await startSubgraph(subgraph, config, mongo.uri, 0, { log: () => {} });
  const logs: string[] = [];
  const deps: CustomerReactionDeps = { models: subgraph.createModels(running.conn), config, conn: running.conn, log: (msg) => logs.push(msg) };
  return {
    deps, logs, running,
    async stop() {
      await running.stop();
      await mongo.stop();
    },
  };
});

const AT = new Date('2025-06-01T10:00:05.000Z');

/** A `ProductOrderStateChangeEvent` of the order outbox, as the feed delivers it. */
function orderEvent(productOrderId: string, state: string, fields: Record<string, unknown> = {}): OutboxEvent {
  return {
    _id: `${productOrderId}:3`, eventId: randomUUID(), eventType: 'ProductOrderStateChangeEvent', productOrderId, customerId: 'CUST-100',
    version: 3, state, previousState: 'IN_PROGRESS', at: AT, correlationId: `key-${productOrderId}`, ...fields,
  };
}

const notesOn = (productOrderId: string) => sut.deps.models.Interaction.find({ 'relatedEntity.id': productOrderId }).lean();

interface Interactions {
  customer: { interactions: { totalCount: number; edges: { node: Record<string, unknown> }[] } };
}

describe('CRM note when a product order ends', () => {
  it('should record one SYSTEM/OUTBOUND interaction on the customer, visible through the customer API', async () => {
    const event = orderEvent('PO-N-1', 'COMPLETED');
    expect(await noteOrderOutcome(sut.deps, event)).toEqual({ kind: 'noted', interactionId: interactionIdFor(event.eventId) });
    const res = await graphqlRequest<Interactions>(sut.running.url, `query { customer(id: "CUST-100") {
      interactions(first: 5) { totalCount edges { node { id channel direction reason description createdAt relatedEntity { id referredType role } } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.customer.interactions.edges.map((e) => e.node)).toContainEqual({
      id: interactionIdFor(event.eventId), channel: 'SYSTEM', direction: 'OUTBOUND', reason: 'order progress', description: 'Order PO-N-1 completed',
      createdAt: AT.toISOString(), relatedEntity: [{ id: 'PO-N-1', referredType: 'ProductOrder', role: 'subject' }],
    });
  });

  it.each([
    ['FAILED', 'Order PO-N-FAILED failed'],
    ['PARTIAL', 'Order PO-N-PARTIAL partially completed'],
    ['CANCELLED', 'Order PO-N-CANCELLED cancelled'],
  ])('should note an order that ends %s', async (state, description) => {
    await noteOrderOutcome(sut.deps, orderEvent(`PO-N-${state}`, state));
    expect(await notesOn(`PO-N-${state}`)).toEqual([expect.objectContaining({ customerId: 'CUST-100', description, createdAt: AT })]);
  });

  describe('with the items the final event carries', () => {
    const item = (id: string, state: string, serviceId: string | null, failureReason: string | null = null) => ({ id, state, serviceId, failureReason });

    it('should name the service that went live and link the note to it', async () => {
      await noteOrderOutcome(sut.deps, orderEvent('PO-I-1', 'COMPLETED', { items: [item('1', 'COMPLETED', 'svc-1')] }));
      expect(await notesOn('PO-I-1')).toEqual([expect.objectContaining({
        description: 'Order PO-I-1 completed; service svc-1 is active.',
        relatedEntity: [{ id: 'PO-I-1', referredType: 'ProductOrder', role: 'subject' }, { id: 'svc-1', referredType: 'Service', role: 'activated' }],
      })]);
    });

    it.each([
      ['several services', 'COMPLETED', [item('1', 'COMPLETED', 'svc-1'), item('2', 'COMPLETED', 'svc-2')], 'Order PO-I-several services completed; services svc-1, svc-2 are active.'],
      ['a failure with its reason', 'FAILED', [item('1', 'FAILED', null, 'EMS refused the cell configuration')], 'Order PO-I-a failure with its reason failed; item 1 failed: EMS refused the cell configuration.'],
      ['a failure without a recorded reason', 'FAILED', [item('1', 'FAILED', null)], 'Order PO-I-a failure without a recorded reason failed; item 1 failed: no reason recorded.'],
      ['one item live and one failed', 'PARTIAL', [item('1', 'COMPLETED', 'svc-1'), item('2', 'FAILED', 'svc-2', 'no capacity left on olt-7')], 'Order PO-I-one item live and one failed partially completed; service svc-1 is active; item 2 failed: no capacity left on olt-7.'],
      ['malformed entries, which are left out', 'COMPLETED', [null, { id: 7 }, item('1', 'COMPLETED', 'svc-1')], 'Order PO-I-malformed entries, which are left out completed; service svc-1 is active.'],
    ])('should word %s', async (what, state, items, description) => {
      await noteOrderOutcome(sut.deps, orderEvent(`PO-I-${what}`, state, { items }));
      expect(await notesOn(`PO-I-${what}`)).toEqual([expect.objectContaining({ description })]);
    });

    it('should give a cancellation\'s reason', async () => {
      await noteOrderOutcome(sut.deps, orderEvent('PO-I-C', 'CANCELLED', { items: [item('1', 'CANCELLED', null)], cancellationReason: 'customer moved abroad' }));
      expect(await notesOn('PO-I-C')).toEqual([expect.objectContaining({ description: 'Order PO-I-C cancelled: customer moved abroad.' })]);
    });
  });

  it('should note an event exactly once when it is delivered five times at once', async () => {
    const event = orderEvent('PO-N-5X', 'COMPLETED');
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => noteOrderOutcome(sut.deps, structuredClone(event))));
    expect(outcomes.filter((o) => o.kind === 'noted')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'duplicate')).toHaveLength(4);
    expect(await notesOn('PO-N-5X')).toHaveLength(1);
    const markers = sut.running.conn.collection<{ _id: string }>('processedEvents');
    expect(await markers.countDocuments({ _id: `${ORDER_NOTES_CONSUMER}:${event.eventId}` })).toBe(1);
  });

  it.each(['ACKNOWLEDGED', 'IN_PROGRESS', 'ASSESSING_CANCELLATION', 'PENDING_CANCELLATION'])('should not note an order moving to %s', async (state) => {
    const outcome = await noteOrderOutcome(sut.deps, orderEvent(`PO-N-${state}`, state));
    expect(outcome).toEqual({ kind: 'ignored', reason: `order state ${state}` });
    expect(await notesOn(`PO-N-${state}`)).toEqual([]);
  });

  it('should not note service order events that share the order outbox', async () => {
    const outcome = await noteOrderOutcome(sut.deps, orderEvent('PO-N-SO', 'COMPLETED', { eventType: 'ServiceOrderStateChangeEvent', serviceOrderId: 'SO-1' }));
    expect(outcome.kind).toBe('ignored');
    expect(await notesOn('PO-N-SO')).toEqual([]);
  });

  it('should skip an unknown customer with a log line instead of failing', async () => {
    const event = orderEvent('PO-N-GHOST', 'FAILED', { customerId: 'CUST-GHOST' });
    expect(await noteOrderOutcome(sut.deps, event)).toEqual({ kind: 'unknown-customer', customerId: 'CUST-GHOST' });
    expect(await notesOn('PO-N-GHOST')).toEqual([]);
    expect(sut.logs.some((l) => l.includes('CUST-GHOST') && l.includes('PO-N-GHOST'))).toBe(true);
  });

  it('should skip an event without a customer with a log line instead of failing', async () => {
    const event = orderEvent('PO-N-NOCUST', 'COMPLETED', { customerId: undefined });
    expect(await noteOrderOutcome(sut.deps, event)).toEqual({ kind: 'ignored', reason: 'malformed event' });
    expect(sut.logs.some((l) => l.includes(event.eventId))).toBe(true);
  });
});
