import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';

/**
 * graphql-js pinned to its CommonJS build. The federation packages (@apollo/subgraph, @apollo/gateway,
 * federation-internals, query-planner) and graphql-ws use that build, and `instanceof` is how
 * graphql-js recognises schemas and errors: graphql-ws only turns an `onSubscribe` result into
 * an `error` message if its errors are `instanceof GraphQLError` *of its own copy*, and
 * `validate` refuses a schema built by another copy. Under Node a bare `import 'graphql'` already
 * resolves to that build (graphql has no `exports` map, so `main` wins), but vite/vitest resolve
 * the `module` field (index.mjs), a second realm. Requiring it keeps one realm in every runtime.
 */
const graphql = createRequire(import.meta.url)('graphql') as typeof GraphQL;

export const { GraphQLError, getOperationAST, getVariableValues, parse, validate } = graphql;
export type GraphQLError = GraphQL.GraphQLError;
