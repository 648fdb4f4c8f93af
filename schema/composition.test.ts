import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  buildASTSchema, getNamedType, isNonNullType, isObjectType, parse, validate, visit,
  type DocumentNode, type GraphQLField, type GraphQLSchema,
} from 'graphql';
import {
  composeSubgraphs, composeSupergraph, formatCompositionErrors, loadSubgraphSdls, SUPERGRAPH_PATH,
} from './compose.js';

const subgraphs = loadSubgraphSdls();

/** Every nameable element of an SDL with the description it carries, for the style rules below. */
interface Element { path: string; kind: 'type' | 'field' | 'argument' | 'enumValue'; name: string; described: boolean }

function elements(doc: DocumentNode): Element[] {
  const out: Element[] = [];
  const add = (path: string, kind: Element['kind'], name: string, node: { description?: { value: string } }) =>
    out.push({ path, kind, name, described: Boolean(node.description?.value.trim()) });
  for (const def of doc.definitions) {
    if (!('name' in def) || !def.name) continue; // `extend schema @link(...)`
    const type = def.name.value;
    // A type extension cannot carry a description, so it counts as undescribed: declare the type instead.
    add(type, 'type', type, 'description' in def ? def : {});
    if ('values' in def) for (const v of def.values ?? []) add(`${type}.${v.name.value}`, 'enumValue', v.name.value, v);
    if (!('fields' in def)) continue;
    for (const f of def.fields ?? []) {
      add(`${type}.${f.name.value}`, 'field', f.name.value, f);
      if ('arguments' in f) for (const a of f.arguments ?? []) add(`${type}.${f.name.value}(${a.name.value})`, 'argument', a.name.value, a);
    }
  }
  return out;
}

/**
 * The API schema clients see: the supergraph without federation machinery or @inaccessible elements.
 * Rebuilt from its AST with this file's `graphql` because under vitest this file gets graphql's ESM
 * build while Apollo's CommonJS packages get the CJS one, and graphql rejects objects of the other realm.
 */
function apiSchema(): GraphQLSchema {
  return buildASTSchema(composeSubgraphs().schema.toAPISchema().toAST());
}

describe('composition', () => {
  it('should compose the six subgraphs without errors', () => {
    const result = composeServices(subgraphs);
    // Listing the errors makes a CI failure say what to fix.
    expect(formatCompositionErrors(result.errors ?? [])).toEqual([]);
  });

  it('should compose without hints', () => {
    // Hints flag drift between copies of shared types (PageInfo, Money, DateTime, entity stubs, ResourceCategory):
    // descriptions or fields that no longer match across subgraphs.
    const hints = composeSubgraphs().hints.map((h) => `[${h.definition.code}] ${h.message}`);
    expect(hints).toEqual([]);
  });

  it('should report every composition error with its code', () => {
    const clash = (name: string) => ({ name, url: `http://${name}`, typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { a: Int b: Int }`) });
    expect(() => composeSupergraph([clash('one'), clash('two')])).toThrowError(
      /failed with 2 error\(s\):\n {2}- \[INVALID_FIELD_SHARING\] .*Query\.a[^]*\n {2}- \[INVALID_FIELD_SHARING\] .*Query\.b/,
    );
  });

  it('should check in the supergraph of a fresh composition', () => {
    const checkedIn = readFileSync(SUPERGRAPH_PATH, 'utf8');
    expect(checkedIn === composeSupergraph(), 'schema/supergraph.graphql is stale: run `npm run compose`').toBe(true);
  });

  it.each(subgraphs.map((s) => [s.name, s] as const))('should build the %s SDL as a subgraph schema', (_name, s) => {
    expect(() => buildSubgraphSchema(s.typeDefs)).not.toThrow();
  });
});

describe('subgraph SDL style', () => {
  it.each(subgraphs.map((s) => [s.name, s] as const))('should describe every element of the %s SDL', (_name, s) => {
    expect(elements(s.typeDefs).filter((e) => !e.described).map((e) => e.path)).toEqual([]);
  });

  it.each(subgraphs.map((s) => [s.name, s] as const))('should follow the naming conventions in the %s SDL', (_name, s) => {
    const rules: Record<Element['kind'], RegExp> = {
      type: /^[A-Z][A-Za-z0-9]*$/,
      field: /^[a-z][A-Za-z0-9]*$/,
      argument: /^[a-z][A-Za-z0-9]*$/,
      enumValue: /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/,
    };
    expect(elements(s.typeDefs).filter((e) => !rules[e.kind].test(e.name)).map((e) => e.path)).toEqual([]);
  });

  it.each(subgraphs.map((s) => [s.name, s] as const))('should import exactly the federation directives the %s SDL uses', (_name, s) => {
    const imported = new Set<string>();
    const used = new Set<string>();
    visit(s.typeDefs, {
      Directive(node) {
        if (node.name.value !== 'link') return void used.add(`@${node.name.value}`);
        const arg = node.arguments?.find((a) => a.name.value === 'import');
        if (arg?.value.kind === 'ListValue') for (const v of arg.value.values) if (v.kind === 'StringValue') imported.add(v.value);
      },
    });
    expect([...imported].sort()).toEqual([...used].sort());
  });
});

/** DESIGN.md "API paths portals rely on", verbatim, with their variables declared. */
const designQueries: Record<string, string> = {
  'customer 360': `query { customer(id: "CUST-789") {
    id name segment slaTier status
    productOrders { id state }
    services { id state activatedAt productOffering { id name }
      supportingResources { id name category alarms(state: RAISED) { id perceivedSeverity probableCause } } }
    billingAccount { id balance { amount currency } } } }`,
  'alarm impact': `query ($id: ID!) { alarm(id: $id) { id perceivedSeverity state probableCause
    alarmedObject { id category
      impactedServices(first: 10) { totalCount edges { node { id customer { id name slaTier } } } }
      impactedCustomers(first: 10) { totalCount edges { node { id name segment slaTier } } } } } }`,
  'customer list': `query ($c: String) { customers(first: 20, after: $c) { totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`,
  'raised alarms': `query { alarms(first: 20, filter: { state: RAISED }) { totalCount edges { node { id perceivedSeverity } } } }`,
  'product order items': `query ($id: ID!) { productOrder(id: $id) { id state items { id action state service { id state } } } }`,
  'resource impact': `query ($id: ID!) { resource(id: $id) { id name category dependsOn { id category }
    impactedCustomers(first: 50) { totalCount } } }`,
  'submit product order': `mutation { submitProductOrder(input: {
    customerId: "CUST-789", idempotencyKey: "order-12345",
    items: [{ productOfferingId: "5G_PREMIUM", action: ADD,
              characteristics: [{ name: "bandwidth", value: "1Gbps" }] }] }) { id state } }`,
  'product order state subscription': `subscription ($id: ID!, $cursor: String) { productOrderStateChanged(productOrderId: $id, after: $cursor) {
    cursor state previousState at
    productOrder { id state items { service { id state activatedAt supportingResources { id } } } } } }`,
};

describe('API schema', () => {
  const schema = apiSchema();

  it.each(Object.entries(designQueries))('should validate the DESIGN.md %s query', (_name, query) => {
    expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([]);
  });

  it('should page every connection the Relay way', () => {
    const problems: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name.endsWith('Connection')) problems.push(...connectionProblems(`${type.name}.${field.name}`, field));
      }
    }
    expect(problems).toEqual([]);
  });
});

/** What deviates from `first: Int = 20, after: String` → `{ totalCount edges { cursor node } pageInfo }`. */
function connectionProblems(path: string, field: GraphQLField<unknown, unknown>): string[] {
  const problems: string[] = [];
  const arg = (name: string) => field.args.find((a) => a.name === name);
  if (String(arg('first')?.type) !== 'Int' || arg('first')?.defaultValue !== 20) problems.push(`${path}: needs first: Int = 20`);
  if (String(arg('after')?.type) !== 'String') problems.push(`${path}: needs after: String`);
  if (!isNonNullType(field.type)) problems.push(`${path}: connection must be non-null`);
  const conn = getNamedType(field.type);
  if (!isObjectType(conn)) return [...problems, `${path}: ${conn.name} is not an object type`];
  const fields = conn.getFields();
  const edge = getNamedType(fields.edges?.type ?? conn);
  const expected: Record<string, string | undefined> = {
    totalCount: 'Int!', pageInfo: 'PageInfo!', edges: `[${conn.name.replace(/Connection$/, 'Edge')}!]!`,
  };
  for (const [name, type] of Object.entries(expected)) {
    if (String(fields[name]?.type) !== type) problems.push(`${path}: ${conn.name}.${name} must be ${type}`);
  }
  if (isObjectType(edge)) {
    const ef = edge.getFields();
    if (String(ef.cursor?.type) !== 'String!') problems.push(`${path}: ${edge.name}.cursor must be String!`);
    if (!ef.node || !isNonNullType(ef.node.type)) problems.push(`${path}: ${edge.name}.node must be non-null`);
  }
  return problems;
}
