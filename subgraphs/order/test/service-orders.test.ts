import { beforeAll, describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { orderWorld } from './fixture.js';

const sut = useSubgraphUnderTest(subgraph, orderWorld);
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  // The world carries no orchestration history; write some the way the saga will, straight to the store.
  await sut.subgraph.conn.collection('serviceOrders').updateOne({ _id: 'SO-789-2A' as never }, {
    $set: {
      errorMessages: [{ code: 'RESOURCE_UNAVAILABLE', message: 'no slice capacity', timestamp: at('2025-01-01T11:30:00Z'), itemId: '1' }],
      jeopardyAlerts: [{ id: 'J1', name: 'activation late', jeopardyType: 'deadline', message: null, alertDate: at('2025-01-01T11:45:00Z'), itemId: null }],
      milestones: [{ id: 'M1', name: 'resourcesReserved', description: 'slice reserved', milestoneDate: at('2025-01-01T11:10:00Z'), status: 'reached', itemId: '1' }],
    },
  });
  // A service order the network requested directly, serving no product order.
  await sut.subgraph.conn.collection('serviceOrders').insertOne({
    _id: 'SO-NET-1' as never, productOrderId: null, state: 'ACKNOWLEDGED', orderDate: at('2025-02-01T00:00:00Z'), completionDate: null,
    items: [], errorMessages: [], jeopardyAlerts: [], milestones: [],
  });
});

describe('serviceOrder(id)', () => {
  it('should return the order with items, specification reference and the product order it serves', async () => {
    const res = await sut.query(`{ serviceOrder(id: "SO-789-1") {
      id state orderDate completionDate productOrder { id state customer { id } }
      items { id action state service { id } serviceSpecification { id name } characteristics { name value } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.serviceOrder).toEqual({
      id: 'SO-789-1', state: 'COMPLETED', orderDate: '2025-01-01T00:30:00.000Z', completionDate: '2025-01-01T02:00:00.000Z',
      productOrder: { id: 'PO-789-1', state: 'COMPLETED', customer: { id: 'CUST-789' } },
      items: [{ id: '1', action: 'ADD', state: 'COMPLETED', service: { id: 'svc-5g-001' }, serviceSpecification: { id: 'CFS_5G_ACCESS', name: '5G access' }, characteristics: [{ name: 'bandwidth', value: '1Gbps' }] }],
    });
  });

  it('should name a specification the catalog does not list by its id', async () => {
    const res = await sut.query(`{ serviceOrder(id: "SO-789-2B") { items { serviceSpecification { id name } } } }`);
    expect(res.data?.serviceOrder).toEqual({ items: [{ serviceSpecification: { id: 'CFS_FIBRE', name: 'CFS_FIBRE' } }] });
  });

  it('should return error messages, jeopardy alerts and milestones', async () => {
    const res = await sut.query(`{ serviceOrder(id: "SO-789-2A") {
      errorMessages { code message timestamp itemId }
      jeopardyAlerts { id name jeopardyType message alertDate itemId }
      milestones { id name description milestoneDate status itemId } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.serviceOrder).toEqual({
      errorMessages: [{ code: 'RESOURCE_UNAVAILABLE', message: 'no slice capacity', timestamp: '2025-01-01T11:30:00.000Z', itemId: '1' }],
      jeopardyAlerts: [{ id: 'J1', name: 'activation late', jeopardyType: 'deadline', message: null, alertDate: '2025-01-01T11:45:00.000Z', itemId: null }],
      milestones: [{ id: 'M1', name: 'resourcesReserved', description: 'slice reserved', milestoneDate: '2025-01-01T11:10:00.000Z', status: 'reached', itemId: '1' }],
    });
  });

  it('should return empty histories for an order that has none', async () => {
    const res = await sut.query(`{ serviceOrder(id: "SO-789-1") { errorMessages { code } jeopardyAlerts { id } milestones { id } } }`);
    expect(res.data?.serviceOrder).toEqual({ errorMessages: [], jeopardyAlerts: [], milestones: [] });
  });

  it('should return a null product order for a service order the network requested directly', async () => {
    const res = await sut.query(`{ serviceOrder(id: "SO-NET-1") { id productOrder { id } items { id } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.serviceOrder).toEqual({ id: 'SO-NET-1', productOrder: null, items: [] });
  });

  it('should return null without errors for an unknown id', async () => {
    const res = await sut.query(`{ serviceOrder(id: "SO-NOPE") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ serviceOrder: null });
  });
});

describe('ProductOrder.serviceOrders', () => {
  it('should be empty for a product order not decomposed yet', async () => {
    const res = await sut.query(`{ productOrder(id: "PO-TIE-A") { serviceOrders { id } } }`);
    expect(res.data?.productOrder).toEqual({ serviceOrders: [] });
  });

  it('should load the service orders of a whole page of product orders in one command', async () => {
    const query = (first: number) => sut.query(`{ productOrders(first: ${first}) { edges { node { id serviceOrders { id productOrder { id } } } } } }`);
    const small = await query(2);
    const big = await query(100);
    expect(big.errors).toBeUndefined();
    // find + count for the page, one batched find for every page's service orders; the
    // back-references to the product orders are answered by the primed loader.
    expect(small.extensions?.dbCommands).toBe(3);
    expect(big.extensions?.dbCommands).toBe(3);
  });
});
