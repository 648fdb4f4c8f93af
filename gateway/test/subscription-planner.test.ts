import { readFileSync } from 'node:fs';
import type { PlanNode } from '@apollo/query-planner';
import { parse, type GraphQLField } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, SUPERGRAPH_PATH } from '../../schema/compose.js';
import { SubscriptionPlanner } from '../subscriptions/planner.js';
import { CUSTOMER_SDL, INVENTORY_SDL, ORDER_SDL } from './helpers/fixture.js';

const supergraphSdl = composeSupergraph(
  Object.entries({ order: ORDER_SDL, customer: CUSTOMER_SDL, inventory: INVENTORY_SDL }).map(([name, sdl]) => ({ name, url: `http://${name}.test/graphql`, typeDefs: parse(sdl) })),
);
const planner = new SubscriptionPlanner(supergraphSdl);

const WATCH = `subscription Watch($id: ID!) { productOrderStateChanged(productOrderId: $id) {
  cursor state productOrder { id state items { service { state supportingResources { name } } } customer { name } } } }`;

function fetchedServices(node: PlanNode | undefined): string[] {
  if (!node) return [];
  switch (node.kind) {
    case 'Fetch': return [node.serviceName];
    case 'Flatten': return fetchedServices(node.node);
    case 'Sequence': case 'Parallel': return node.nodes.flatMap(fetchedServices);
    case 'Condition': return [...fetchedServices(node.ifClause), ...fetchedServices(node.elseClause)];
    case 'Defer': return [];
  }
}

describe('subscription planning', () => {
  it('should stream the root field from its owner and fetch the rest from the other subgraphs', () => {
    const prepared = planner.prepare({ query: WATCH, operationName: 'Watch', variables: { id: 'PO-1' } });
    if (prepared.kind !== 'subscription') throw new Error(JSON.stringify(prepared));
    expect(prepared.primary.serviceName).toBe('order');
    expect(prepared.primary.operationKind).toBe('subscription');
    expect(prepared.primary.variableUsages).toEqual(['id']);
    // The primary selects the entity keys the rest of the plan needs as representations.
    expect(prepared.primary.operation).toMatch(/customer\{__typename id\}/);
    expect(new Set(fetchedServices(prepared.rest))).toEqual(new Set(['customer', 'inventory']));
  });

  it('should have no rest when the subscription only selects fields of its owner', () => {
    const prepared = planner.prepare({ query: 'subscription { productOrderStateChanged(productOrderId: "PO-1") { cursor productOrder { state } } }' });
    expect(prepared).toMatchObject({ kind: 'subscription', primary: { serviceName: 'order' } });
    expect(prepared.kind === 'subscription' && prepared.rest).toBeUndefined();
  });

  it('should answer an order item service\'s activatedAt from the order subgraph (@provides), and ask inventory for anything else of it', () => {
    const product = new SubscriptionPlanner(readFileSync(SUPERGRAPH_PATH, 'utf8'));
    const watch = (serviceFields: string) => product.prepare({ query: `subscription { productOrderStateChanged(productOrderId: "PO-1") {
      cursor state productOrder { id items { service { ${serviceFields} } } } } }` });
    const provided = watch('id activatedAt');
    if (provided.kind !== 'subscription') throw new Error(JSON.stringify(provided));
    expect(provided.primary.operation).toMatch(/service\{id activatedAt\}/);
    expect(provided.rest).toBeUndefined();
    const owned = watch('id state activatedAt');
    expect(owned.kind === 'subscription' && fetchedServices(owned.rest)).toEqual(['inventory']);
  });

  it('should plan a document once and reuse the plan for other variables', () => {
    const a = planner.prepare({ query: WATCH, variables: { id: 'PO-1' } });
    const b = planner.prepare({ query: WATCH, variables: { id: 'PO-2' } });
    expect(a.kind === 'subscription' && b.kind === 'subscription' && a.primary === b.primary).toBe(true);
    expect(b).toMatchObject({ request: { variables: { id: 'PO-2' } } });
  });

  it('should keep the plan of a document in use while hundreds of one-off documents are planned', () => {
    const primaryOf = (query: string) => {
      const prepared = planner.prepare({ query, variables: { id: 'PO-1' } });
      if (prepared.kind !== 'subscription') throw new Error(JSON.stringify(prepared));
      return prepared.primary;
    };
    const first = primaryOf(WATCH);
    // More one-off documents than the cache holds (200), with the portals' document in use throughout.
    for (let i = 0; i < 300; i++) {
      primaryOf(`subscription OneOff${i}($id: ID!) { productOrderStateChanged(productOrderId: $id) { cursor } }`);
      if (i % 50 === 0) expect(primaryOf(WATCH)).toBe(first);
    }
    expect(primaryOf(WATCH)).toBe(first);
  });

  it.each([
    ['an unknown field', 'subscription { productOrderStateChanged(productOrderId: "1") { nope } }', {}, /Cannot query field "nope"/],
    ['an unknown root field', 'subscription { alarmChanged { cursor } }', {}, /Cannot query field "alarmChanged"/],
    ['two root fields', 'subscription { a: productOrderStateChanged(productOrderId: "1") { cursor } b: productOrderStateChanged(productOrderId: "2") { cursor } }', {}, /must select only one top level field/],
    ['a missing variable', WATCH, {}, /Variable "\$id" of required type "ID!" was not provided/],
    ['a syntax error', 'subscription {', {}, /Syntax Error/],
  ])('should reject %s with GraphQL errors', (_what, query, variables, message) => {
    const prepared = planner.prepare({ query, variables });
    expect(prepared.kind).toBe('invalid');
    expect(prepared.kind === 'invalid' && prepared.errors.map((e) => e.message).join('\n')).toMatch(message);
  });

  it('should reject an operation name the document does not define', () => {
    expect(planner.prepare({ query: WATCH, operationName: 'Other', variables: { id: '1' } })).toMatchObject({ kind: 'invalid', errors: [{ message: "unknown operation named 'Other'" }] });
  });

  it('should leave queries and mutations to the normal gateway', () => {
    expect(planner.prepare({ query: '{ productOrder(id: "PO-1") { id } }' })).toMatchObject({ kind: 'operation' });
  });
});

/** Every subscription field of the product's own supergraph, planned generically. */
describe('subscription planning against the product supergraph', () => {
  const product = new SubscriptionPlanner(composeSupergraph());
  const fields = Object.values(product.schema.getSubscriptionType()?.getFields() ?? {});

  it.runIf(fields.length > 0).each(fields.map((f) => [f.name, f] as const))('should plan %s into a primary subscription fetch', (_name, field: GraphQLField<unknown, unknown>) => {
    // String checks, not isNonNullType: the schema comes from the CJS graphql realm (see graphql.ts).
    const required = field.args.filter((a) => String(a.type).endsWith('!'));
    const defs = required.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
    const args = required.map((a) => `${a.name}: $${a.name}`).join(', ');
    const selection = 'getFields' in (field.type as object) || 'getFields' in ((field.type as { ofType?: object }).ofType ?? {}) ? '{ __typename }' : '';
    const query = `subscription${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selection} }`;
    const variables = Object.fromEntries(required.map((a) => [a.name, String(a.type).startsWith('Int') ? 1 : 'x']));
    const prepared = product.prepare({ query, variables });
    expect(prepared, query).toMatchObject({ kind: 'subscription', primary: { kind: 'Fetch', operationKind: 'subscription' } });
  });
});
