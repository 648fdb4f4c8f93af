import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { generateWorld } from '../../../seed/generate.js';
import { useStack } from '../../../test/helpers/stack.js';

/**
 * CRM notes wired to the real order outbox feed, seen through the gateway as a CSR desk sees
 * them. The whole product runs; the order events are written into the order outbox as the order
 * subgraph writes them, so the test does not wait for a real order to end.
 */
const sut = useStack(generateWorld('small'));

interface Notes {
  customer: { interactions: { edges: { node: { channel: string; direction: string; description: string | null; createdAt: string; relatedEntity: { id: string; referredType: string }[] } }[] } };
}

/** CUST-789's interactions about `productOrderId`, through the gateway. */
async function notesAbout(productOrderId: string) {
  const res = await sut.query<Notes>(`query { customer(id: "CUST-789") {
    interactions(first: 100) { edges { node { channel direction description createdAt relatedEntity { id referredType } } } } } }`);
  expect(res.errors).toBeUndefined();
  return res.data!.customer.interactions.edges.map((e) => e.node).filter((n) => n.relatedEntity.some((r) => r.id === productOrderId));
}

/** Appends a product order state change to the order outbox, shaped as the order subgraph writes it. */
async function orderEvent(productOrderId: string, version: number, state: string, previousState: string, at: Date) {
  await sut.stack.subgraphs.order.conn.collection<{ _id: string; [field: string]: unknown }>('events').insertOne({
    _id: `${productOrderId}:${version}`, eventId: randomUUID(), eventType: 'ProductOrderStateChangeEvent', productOrderId, customerId: 'CUST-789',
    version, state, previousState, at, correlationId: `key-${productOrderId}`,
  });
}

describe('CRM notes through the order outbox feed', () => {
  it('should note on the customer an order that ends, and nothing for its earlier steps', async () => {
    const at = new Date(Date.now() - 500);
    await orderEvent('PO-FEED-1', 2, 'IN_PROGRESS', 'ACKNOWLEDGED', new Date(at.getTime() - 1000));
    await orderEvent('PO-FEED-1', 3, 'PARTIAL', 'IN_PROGRESS', at);
    const notes = await vi.waitFor(async () => {
      const found = await notesAbout('PO-FEED-1');
      expect(found).not.toEqual([]);
      return found;
    }, { timeout: 10_000, interval: 50 });
    expect(notes).toEqual([{
      channel: 'SYSTEM', direction: 'OUTBOUND', description: 'Order PO-FEED-1 partially completed', createdAt: at.toISOString(),
      relatedEntity: [{ id: 'PO-FEED-1', referredType: 'ProductOrder' }],
    }]);
  });
});
