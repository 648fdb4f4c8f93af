import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../seed/catalog.js';
import { AdapterError } from '../activation/adapters/index.js';
import { buildServiceOrder, serviceOrderIdOf, type OfferingMapping } from '../activation/decompose.js';
import { classify, StepFailure } from '../activation/failures.js';
import { nextOrderState, rollUp } from '../activation/rollup.js';
import type { ProductOrderDoc } from '../models.js';

/** The pure parts of order-to-activate: roll-up, decomposition, failure classification. */

describe('roll-up (TMF622/TMF641)', () => {
  it('should be IN_PROGRESS while any item is not finished', () => {
    expect(rollUp(['COMPLETED', 'IN_PROGRESS'])).toBe('IN_PROGRESS');
    expect(rollUp(['ACKNOWLEDGED', 'FAILED'])).toBe('IN_PROGRESS');
    expect(rollUp(['PENDING_CANCELLATION'])).toBe('IN_PROGRESS');
  });

  it('should be COMPLETED, FAILED, PARTIAL or CANCELLED once every item is finished', () => {
    expect(rollUp(['COMPLETED', 'COMPLETED'])).toBe('COMPLETED');
    expect(rollUp(['FAILED', 'FAILED'])).toBe('FAILED');
    expect(rollUp(['FAILED', 'REJECTED'])).toBe('FAILED');
    expect(rollUp(['COMPLETED', 'FAILED'])).toBe('PARTIAL');
    expect(rollUp(['COMPLETED', 'CANCELLED'])).toBe('PARTIAL');
    expect(rollUp(['CANCELLED', 'CANCELLED'])).toBe('CANCELLED');
    // A cancelled order whose other item had already failed is still a cancelled order.
    expect(rollUp(['CANCELLED', 'FAILED'])).toBe('CANCELLED');
  });

  it('should never reopen a finished order nor leave a cancellation under way for IN_PROGRESS', () => {
    expect(nextOrderState('COMPLETED', ['IN_PROGRESS'])).toBe('COMPLETED');
    expect(nextOrderState('PENDING_CANCELLATION', ['IN_PROGRESS', 'CANCELLED'])).toBe('PENDING_CANCELLATION');
    expect(nextOrderState('PENDING_CANCELLATION', ['CANCELLED', 'CANCELLED'])).toBe('CANCELLED');
    expect(nextOrderState('ACKNOWLEDGED', ['IN_PROGRESS'])).toBe('IN_PROGRESS');
    expect(nextOrderState('IN_PROGRESS', ['COMPLETED', 'FAILED'])).toBe('PARTIAL');
  });
});

describe('decomposition (BSS → OSS)', () => {
  const catalog = new Map<string, OfferingMapping | null>(buildCatalog().map((o) => [o.id, { serviceSpecifications: o.specification.serviceSpecifications, resourceSpecifications: o.specification.resourceSpecifications }]));
  const now = new Date('2025-03-01T10:00:00Z');
  const order = (items: [string, { name: string; value: string }[]][]): ProductOrderDoc => ({
    _id: 'PO-abc', externalId: 'key-1', customerId: 'CUST-789', billingAccountId: null, state: 'ACKNOWLEDGED', priority: null, orderDate: now,
    requestedStartDate: null, completionDate: null, cancellationReason: null, notes: [], version: 1, createdAt: now, updatedAt: now,
    items: items.map(([productOfferingId, characteristics], i) => ({ id: String(i + 1), action: 'ADD', state: 'ACKNOWLEDGED', quantity: 1, productOfferingId, characteristics, serviceId: null })),
  });

  it('should build one service order item per product order item from the seed catalog’s specification mapping', () => {
    const so = buildServiceOrder(order([['5G_PREMIUM', [{ name: 'bandwidth', value: '1Gbps' }]], ['FIBRE_1G', [{ name: 'bandwidth', value: '1Gbps' }]]]), catalog, now);
    expect(so).toMatchObject({ _id: 'SO-abc', productOrderId: 'PO-abc', customerId: 'CUST-789', externalId: 'key-1', state: 'ACKNOWLEDGED', version: 1, errorMessages: [], sagaWakeAt: now });
    expect(so.items).toEqual([
      expect.objectContaining({
        id: '1', productOrderItemId: '1', action: 'ADD', state: 'ACKNOWLEDGED', productOfferingId: '5G_PREMIUM',
        serviceSpecification: { id: 'SS-5G-DATA', name: '5G Data Service' }, characteristics: [{ name: 'bandwidth', value: '1Gbps' }],
        resourceSpecifications: [{ id: 'RS-GNB', name: 'gNodeB (5G NR base station)', category: 'GNB' }, { id: 'RS-NETWORK-SLICE', name: '5G network slice', category: 'NETWORK_SLICE' }],
        saga: expect.objectContaining({ step: 'FEASIBILITY', reservationId: null, attempts: [] }),
      }),
      expect.objectContaining({
        id: '2', productOfferingId: 'FIBRE_1G', serviceSpecification: { id: 'SS-FTTH-ACCESS', name: 'FTTH Access Service' },
        resourceSpecifications: [expect.objectContaining({ category: 'ONT' }), expect.objectContaining({ category: 'PON_PORT' }), expect.objectContaining({ category: 'OLT' })],
      }),
    ]);
    // Never claimed: any instance may take it at once.
    expect(so.claim).toEqual({ owner: null, until: new Date(0) });
  });

  it('should create an item the catalog cannot map FAILED, saying why', () => {
    const so = buildServiceOrder(order([['5G_PREMIUM', []], ['GONE', []]]), catalog, now);
    expect(so.items.map((i) => [i.state, i.saga?.step])).toEqual([['ACKNOWLEDGED', 'FEASIBILITY'], ['FAILED', 'DONE']]);
    expect(so.errorMessages).toEqual([{ code: 'NO_SERVICE_SPECIFICATION', message: expect.stringContaining('GONE'), timestamp: now, itemId: '2' }]);
  });

  it('should derive the service order id from the product order id, so a product order has one', () => {
    expect(serviceOrderIdOf('PO-6c5fe807')).toBe('SO-6c5fe807');
  });
});

describe('step failures', () => {
  it('should treat refusals and non-retryable element errors as permanent, outages as transient', () => {
    expect(classify(new GraphQLError('no room', { extensions: { code: 'RESOURCE_UNAVAILABLE' } }))).toMatchObject({ code: 'RESOURCE_UNAVAILABLE', permanent: true });
    expect(classify(new GraphQLError('released', { extensions: { code: 'CONFLICT' } }))).toMatchObject({ code: 'CONFLICT', permanent: true });
    expect(classify(new GraphQLError('down', { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }))).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', permanent: false });
    expect(classify(new AdapterError('INJECTED_FAULT', 'boom'))).toMatchObject({ code: 'INJECTED_FAULT', permanent: true });
    expect(classify(new AdapterError('NE_BUSY', 'later', true))).toMatchObject({ code: 'NE_BUSY', permanent: false });
    expect(classify(new Error('bug'))).toMatchObject({ code: 'INTERNAL_ERROR', permanent: false });
    const failure = new StepFailure('X', 'y', true);
    expect(classify(failure)).toBe(failure);
  });
});
