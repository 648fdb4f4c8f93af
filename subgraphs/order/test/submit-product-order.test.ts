import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubgraphName } from '../../../kit/config.js';
import { startSubgraph, type RunningSubgraph } from '../../../kit/subgraph.js';
import { graphqlRequest, testConfig, type GraphQLResult } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { generateWorld } from '../../../seed/generate.js';
import { startStackUnderTest, type StackUnderTest } from '../../../test/helpers/stack.js';

/**
 * Order capture against the real product: validation asks the customer and catalog subgraphs
 * over their APIs, so the whole stack runs (embedded MongoDB, six subgraphs, gateway).
 */
const world = generateWorld('small');
const suspended = world.customers.find((c) => c.status === 'SUSPENDED')!;
const retired = world.offerings.find((o) => o.lifecycleStatus === 'RETIRED')!;
let sut: StackUnderTest;
let orderUrl: string;

beforeAll(async () => {
  sut = await startStackUnderTest(world);
  orderUrl = sut.stack.subgraphs.order.url;
});
afterAll(async () => {
  await sut?.stop();
});

interface SubmittedOrder {
  id: string;
  externalId: string;
  state: string;
  completionDate: string | null;
  customer: { id: string };
  items: { id: string; action: string; state: string; quantity: number; productOffering: { id: string }; characteristics: { name: string; value: string }[] }[];
  notes: { author: string | null; text: string }[];
}

const SUBMIT = `mutation ($input: SubmitProductOrderInput!) { submitProductOrder(input: $input) {
  id externalId state completionDate customer { id }
  items { id action state quantity productOffering { id } characteristics { name value } }
  notes { author text } } }`;

const submit = (input: Record<string, unknown>) => graphqlRequest<{ submitProductOrder: SubmittedOrder }>(orderUrl, SUBMIT, { input });

const item = (productOfferingId: string, characteristics: { name: string; value: string }[] = [], extra: Record<string, unknown> = {}) =>
  ({ productOfferingId, action: 'ADD', characteristics, ...extra });
const premium = (bandwidth = '1Gbps') => item('5G_PREMIUM', [{ name: 'bandwidth', value: bandwidth }]);

const db = () => sut.stack.subgraphs.order.conn;
const storedOrders = (filter: Record<string, unknown>) => db().collection('productOrders').countDocuments(filter);
const storedEvents = (filter: Record<string, unknown>) => db().collection('events').find(filter).sort({ version: 1 }).toArray();

function orderOf(res: GraphQLResult<{ submitProductOrder: SubmittedOrder }>): SubmittedOrder {
  expect(res.errors).toBeUndefined();
  return res.data!.submitProductOrder;
}

describe('submitProductOrder: acknowledged', () => {
  it('should acknowledge the DESIGN.md order for CUST-789 through the gateway', async () => {
    const res = await sut.query<{ submitProductOrder: { id: string; state: string } }>(`mutation { submitProductOrder(input: {
      customerId: "CUST-789", idempotencyKey: "order-12345",
      items: [{ productOfferingId: "5G_PREMIUM", action: ADD,
                characteristics: [{ name: "bandwidth", value: "1Gbps" }] }] }) { id state } }`);
    expect(res.errors).toBeUndefined();
    const { id, state } = res.data!.submitProductOrder;
    expect(state).toBe('ACKNOWLEDGED');

    // Read back as stored; the activation saga starts on the order at once, so its state may
    // have moved on already (see subgraphs/order/test/activation*.test.ts for that part).
    const read = await sut.query(`query ($id: ID!) { productOrder(id: $id) { id externalId customer { id name }
      items { id action quantity productOffering { id name } characteristics { name value } } } }`, { id });
    expect(read.errors).toBeUndefined();
    expect(read.data?.productOrder).toEqual({
      id, externalId: 'order-12345', customer: { id: 'CUST-789', name: world.customers.find((c) => c.id === 'CUST-789')!.name },
      items: [{ id: '1', action: 'ADD', quantity: 1, productOffering: { id: '5G_PREMIUM', name: '5G Premium' }, characteristics: [{ name: 'bandwidth', value: '1Gbps' }] }],
    });
  });

  it('should store the order and its create event together in the outbox', async () => {
    const order = orderOf(await submit({ customerId: 'CUST-789', idempotencyKey: 'outbox-1', items: [premium()] }));
    const events = await storedEvents({ productOrderId: order.id, eventType: 'ProductOrderCreateEvent' });
    expect(events).toEqual([expect.objectContaining({
      _id: `${order.id}:1`, eventType: 'ProductOrderCreateEvent', productOrderId: order.id, version: 1,
      state: 'ACKNOWLEDGED', previousState: null, correlationId: 'outbox-1', customerId: 'CUST-789', at: expect.any(Date), eventId: expect.any(String),
    })]);
  });

  it('should take a new order in three database commands: the key lookup, one write of order and event, the commit', async () => {
    // In a burst of submissions every command queues behind the others' (bench:activation).
    const res = await graphqlRequest<{ submitProductOrder: { id: string; state: string } }>(orderUrl,
      'mutation ($input: SubmitProductOrderInput!) { submitProductOrder(input: $input) { id state } }',
      { input: { customerId: 'CUST-789', idempotencyKey: 'commands-1', items: [premium()] } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.submitProductOrder.state).toBe('ACKNOWLEDGED');
    expect(res.extensions?.dbCommands).toBe(3);
  });

  it('should number items in the order given and fill in a mandatory characteristic left out with its default', async () => {
    const order = orderOf(await submit({ customerId: 'CUST-789', idempotencyKey: 'defaults-1', items: [item('5G_PREMIUM'), item('FIBRE_1G', [{ name: 'bandwidth', value: '500Mbps' }], { quantity: 2 })] }));
    expect(order.items.map((i) => [i.id, i.productOffering.id, i.quantity, i.characteristics])).toEqual([
      ['1', '5G_PREMIUM', 1, [{ name: 'bandwidth', value: '500Mbps' }]],
      ['2', 'FIBRE_1G', 2, [{ name: 'bandwidth', value: '500Mbps' }]],
    ]);
  });
});

describe('submitProductOrder: malformed input', () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['an unknown offering', { items: [item('NOPE')] }, 'input.items[0].productOfferingId', "product offering 'NOPE' does not exist"],
    ['a value the specification does not allow', { items: [premium('2Gbps')] }, 'input.items[0].characteristics[0].value', "'2Gbps' is not an allowed bandwidth (100Mbps, 500Mbps, 1Gbps)"],
    ['a bad value in a later item', { items: [premium(), item('FIBRE_1G', [{ name: 'installationType', value: 'DRONE' }])] }, 'input.items[1].characteristics[0].value', "'DRONE' is not an allowed installationType (SELF, TECHNICIAN)"],
    ['a characteristic the specification does not declare', { items: [item('5G_PREMIUM', [{ name: 'colour', value: 'red' }])] }, 'input.items[0].characteristics[0].name', "'colour' is not a characteristic of 5G_PREMIUM (bandwidth, staticIp)"],
    ['a characteristic given twice', { items: [item('5G_PREMIUM', [{ name: 'bandwidth', value: '1Gbps' }, { name: 'bandwidth', value: '100Mbps' }])] }, 'input.items[0].characteristics[1].name', "'bandwidth' is given more than once"],
    ['no items', { items: [] }, 'input.items', 'an order needs at least one item'],
    ['a blank idempotency key', { idempotencyKey: '  ' }, 'input.idempotencyKey', 'must not be blank'],
    ['a quantity below 1', { items: [{ ...premium(), quantity: 0 }] }, 'input.items[0].quantity', 'must be at least 1, got 0'],
    ['an action other than ADD', { items: [{ ...premium(), action: 'MODIFY' }] }, 'input.items[0].action', 'a new order can only ADD a product, got MODIFY'],
    ['a priority out of range', { priority: 9 }, 'input.priority', 'must be between 0 and 4, got 9'],
    ['an unknown customer', { customerId: 'CUST-NOPE' }, 'input.customerId', "customer 'CUST-NOPE' does not exist"],
  ];

  it.each(cases)('should refuse %s naming the field, and store nothing', async (_what, override, field, message) => {
    const key = `bad-${field}-${message}`.slice(0, 60);
    const ordersBefore = await storedOrders({});
    // Orders submitted earlier keep producing events (the saga runs them): count creations.
    const eventsBefore = (await storedEvents({ eventType: 'ProductOrderCreateEvent' })).length;
    const res = await submit({ customerId: 'CUST-789', idempotencyKey: key, items: [premium()], ...override });
    expect(res.data).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ message: `${field}: ${message}`, extensions: { code: 'BAD_USER_INPUT', field, argumentName: 'input' } });
    expect(await storedOrders({})).toBe(ordersBefore);
    expect((await storedEvents({ eventType: 'ProductOrderCreateEvent' })).length).toBe(eventsBefore);
  });
});

describe('submitProductOrder: business refusals', () => {
  it(`should store a REJECTED order with the reason for a SUSPENDED customer (${suspended.id})`, async () => {
    const order = orderOf(await submit({ customerId: suspended.id, idempotencyKey: 'suspended-1', items: [premium()] }));
    expect(order).toMatchObject({ state: 'REJECTED', customer: { id: suspended.id }, completionDate: expect.any(String), items: [{ state: 'REJECTED' }] });
    expect(order.notes).toEqual([{ author: null, text: `customer ${suspended.id} is SUSPENDED: only ACTIVE customers can order` }]);
    expect(await storedEvents({ productOrderId: order.id })).toEqual([expect.objectContaining({ version: 1, state: 'REJECTED', previousState: null, eventType: 'ProductOrderCreateEvent' })]);
  });

  it(`should store a REJECTED order with the reason for a RETIRED offering (${retired.id})`, async () => {
    const order = orderOf(await submit({ customerId: 'CUST-789', idempotencyKey: 'retired-1', items: [premium(), item(retired.id, [{ name: 'bandwidth', value: '50Mbps' }])] }));
    expect(order.state).toBe('REJECTED');
    expect(order.items.map((i) => i.state)).toEqual(['REJECTED', 'REJECTED']);
    expect(order.notes.map((n) => n.text)).toEqual([`item 2: product offering ${retired.id} is not sellable and RETIRED: only sellable, LAUNCHED offerings can be ordered`]);
  });

  it('should answer a retry of a rejected order with the same rejected order', async () => {
    const first = orderOf(await submit({ customerId: suspended.id, idempotencyKey: 'suspended-2', items: [premium()] }));
    const again = orderOf(await submit({ customerId: suspended.id, idempotencyKey: 'suspended-2', items: [premium()] }));
    expect(again.id).toBe(first.id);
    expect(again.state).toBe('REJECTED');
  });
});

describe('submitProductOrder: idempotency', () => {
  it('should answer a retry with the original order', async () => {
    const input = { customerId: 'CUST-789', idempotencyKey: 'retry-1', items: [premium()], priority: 1, paymentMethod: 'BANK_CARD' };
    const first = orderOf(await submit(input));
    const again = orderOf(await submit(input));
    // The original order as it is now: the saga may have moved its state on in between.
    const captured = (o: SubmittedOrder) => ({ ...o, state: undefined, completionDate: undefined, items: o.items.map((i) => ({ ...i, state: undefined })) });
    expect(captured(again)).toEqual(captured(first));
    expect(await storedOrders({ externalId: 'retry-1' })).toBe(1);
  });

  it('should create exactly one order and one event for 20 concurrent identical submissions', async () => {
    const input = { customerId: 'CUST-789', idempotencyKey: 'race-1', items: [premium('500Mbps')] };
    const results = await Promise.all(Array.from({ length: 20 }, () => submit(input)));
    const ids = new Set(results.map((r) => orderOf(r).id));
    expect(ids.size).toBe(1);
    expect(await storedOrders({ customerId: 'CUST-789', externalId: 'race-1' })).toBe(1);
    expect(await storedEvents({ productOrderId: [...ids][0], eventType: 'ProductOrderCreateEvent' })).toHaveLength(1);
  });

  it('should refuse a reused key with a different payload as a CONFLICT naming the original order', async () => {
    const first = orderOf(await submit({ customerId: 'CUST-789', idempotencyKey: 'reuse-1', items: [premium('1Gbps')] }));
    const res = await submit({ customerId: 'CUST-789', idempotencyKey: 'reuse-1', items: [premium('100Mbps')] });
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(res.errors?.[0].message).toContain(first.id);
    expect(await storedOrders({ externalId: 'reuse-1' })).toBe(1);
  });

  it('should treat keys as per customer: another customer may use the same key', async () => {
    const mine = orderOf(await submit({ customerId: 'CUST-789', idempotencyKey: 'shared-key', items: [premium()] }));
    const other = world.customers.find((c) => c.status === 'ACTIVE' && c.id !== 'CUST-789')!;
    const theirs = orderOf(await submit({ customerId: other.id, idempotencyKey: 'shared-key', items: [premium()] }));
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.customer.id).toBe(other.id);
  });

  it('should be unique per customer and key in storage', async () => {
    const indexes = await db().collection('productOrders').indexes();
    expect(indexes.find((i) => i.unique && 'externalId' in i.key)).toMatchObject({ key: { customerId: 1, externalId: 1 }, partialFilterExpression: { externalId: { $type: 'string' } } });
  });
});

/** A real HTTP hop in front of a subgraph that notes how many ids each request passing through asks for. */
async function countingProxy(target: string): Promise<{ url: string; idsPerRequest: number[]; close(): Promise<void> }> {
  const idsPerRequest: number[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    idsPerRequest.push(Object.keys((JSON.parse(body) as { variables?: object }).variables ?? {}).length);
    const answer = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/graphql`, idsPerRequest, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('submitProductOrder: a burst of submissions', () => {
  it('should share the customer and catalog lookups of submissions in flight together, and still check each', async () => {
    const customerHop = await countingProxy(sut.stack.subgraphs.customer.url);
    const catalogHop = await countingProxy(sut.stack.subgraphs.catalog.url);
    // A second order instance (as deployed: API only) that reaches customer and catalog through the hops.
    const config = testConfig({ backgroundWork: false });
    for (const [name, running] of Object.entries(sut.stack.subgraphs) as [SubgraphName, RunningSubgraph][]) config.subgraphs[name] = { port: 0, url: running.url };
    config.subgraphs.customer.url = customerHop.url;
    config.subgraphs.catalog.url = catalogHop.url;
    const instance = await startSubgraph(subgraph, config, sut.stack.mongoUri, 0, { log: () => {} });
    try {
      const active = world.customers.filter((c) => c.status === 'ACTIVE').slice(0, 12);
      const inputs = [
        ...active.map((c, i) => ({ customerId: c.id, idempotencyKey: `burst-${i}`, items: [premium()] })),
        { customerId: suspended.id, idempotencyKey: 'burst-suspended', items: [premium()] },
        { customerId: 'CUST-NOPE', idempotencyKey: 'burst-unknown', items: [premium()] },
        { customerId: 'CUST-789', idempotencyKey: 'burst-bad-value', items: [premium('9Tbps')] },
      ];
      const results = await Promise.all(inputs.map((input) => graphqlRequest<{ submitProductOrder: SubmittedOrder }>(instance.url, SUBMIT, { input })));

      // Each submission is still judged on its own customer and offering…
      expect(results.slice(0, active.length).map((r) => r.data?.submitProductOrder.state)).toEqual(active.map(() => 'ACKNOWLEDGED'));
      expect(results[active.length].data?.submitProductOrder.state).toBe('REJECTED');
      expect(results[active.length + 1].errors?.[0]).toMatchObject({ message: "input.customerId: customer 'CUST-NOPE' does not exist", extensions: { code: 'BAD_USER_INPUT', field: 'input.customerId' } });
      expect(results[active.length + 2].errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.items[0].characteristics[0].value' } });
      // …but the burst asked each subgraph far fewer times than once per submission.
      const asked = (hop: { idsPerRequest: number[] }) => hop.idsPerRequest.reduce((sum, n) => sum + n, 0);
      expect(customerHop.idsPerRequest.length).toBeLessThan(inputs.length / 2);
      expect(asked(customerHop)).toBeGreaterThanOrEqual(new Set(inputs.map((i) => i.customerId)).size);
      expect(catalogHop.idsPerRequest.length).toBeLessThan(inputs.length / 2);
      expect(catalogHop.idsPerRequest.every((n) => n === 1)).toBe(true); // one offering, asked once per request
    } finally {
      await instance.stop();
      await Promise.all([customerHop.close(), catalogHop.close()]);
    }
  });
});

describe('submitProductOrder: dependencies', () => {
  // Last: it stops the catalog subgraph of this file's stack.
  it('should fail naming the catalog subgraph when it is down, and store nothing', async () => {
    await sut.stack.subgraphs.catalog.stop();
    const res = await submit({ customerId: 'CUST-789', idempotencyKey: 'catalog-down', items: [premium()] });
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'catalog' } });
    expect(res.errors?.[0].message).toMatch(/^catalog subgraph unavailable: /);
    expect(await storedOrders({ externalId: 'catalog-down' })).toBe(0);
  });
});
