import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { buildOperationContext } from '@apollo/gateway';
import { QueryPlanner, type FetchNode, type PlanNode } from '@apollo/query-planner';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { getOperationAST, getVariableValues, GraphQLError, parse, validate } from '../../kit/graphql-cjs.js';
import { LruMap } from '../../kit/lru-map.js';

/** An operation as a graphql-ws `subscribe` message carries it. */
export interface OperationRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export type OperationContext = ReturnType<typeof buildOperationContext>;

/** A validated subscription with its federated plan: `primary` streams, `rest` expands each event. */
export interface PlannedSubscription {
  kind: 'subscription';
  request: OperationRequest;
  document: DocumentNode;
  operationContext: OperationContext;
  primary: FetchNode;
  rest?: PlanNode;
}

/** A validated query or mutation: the normal gateway executes it. */
export interface PlannedOperation {
  kind: 'operation';
  request: OperationRequest;
  document: DocumentNode;
}

export type Prepared = PlannedSubscription | PlannedOperation | { kind: 'invalid'; errors: GraphQLError[] };

type CachedPlan = Pick<PlannedSubscription, 'document' | 'operationContext' | 'primary' | 'rest'>;

const PLAN_CACHE_SIZE = 200;

/**
 * Validates and plans operations against one supergraph with the same planner the gateway uses
 * for queries. Plans are cached per (document, operation name): hundreds of portals watching
 * orders send the same document with different variables.
 */
export class SubscriptionPlanner {
  readonly supergraph: Supergraph;
  /** The federation-internals API schema (what `executeQueryPlan` shapes results with). */
  readonly apiSchema: Schema;
  /** The API schema as graphql-js sees it (validation, variables, operation context). */
  readonly schema: GraphQLSchema;
  /** The full supergraph schema (`executeQueryPlan` resolves entity types with it). */
  readonly supergraphSchema: GraphQLSchema;
  private readonly planner: QueryPlanner;
  /** Least recently used plans go first: the documents every portal sends stay planned however many one-off ones pass. */
  private readonly cache = new LruMap<string, CachedPlan>(PLAN_CACHE_SIZE);

  constructor(supergraphSdl: string) {
    this.supergraph = Supergraph.build(supergraphSdl);
    this.apiSchema = this.supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = this.supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(this.supergraph);
  }

  /** Never throws: every problem comes back as GraphQL errors, for a graphql-ws `error` message. */
  prepare(request: OperationRequest): Prepared {
    try {
      return this.prepareOrThrow(request);
    } catch (err) {
      const error = err instanceof GraphQLError ? err : new GraphQLError(`could not plan the operation: ${(err as Error).message}`);
      return { kind: 'invalid', errors: [error] };
    }
  }

  private prepareOrThrow(request: OperationRequest): Prepared {
    const key = `${request.operationName ?? ''}\u0000${request.query}`;
    const cached = this.cache.get(key);
    const document = cached?.document ?? parse(request.query);
    if (!cached) {
      const errors = validate(this.schema, document);
      if (errors.length > 0) return { kind: 'invalid', errors: [...errors] };
    }
    const operation = getOperationAST(document, request.operationName ?? undefined);
    if (!operation) {
      const message = request.operationName ? `unknown operation named '${request.operationName}'` : 'the document must name the operation to run';
      return { kind: 'invalid', errors: [new GraphQLError(message)] };
    }
    // Variables differ per subscriber, so they are checked on every request, cached plan or not.
    const { errors } = getVariableValues(this.schema, operation.variableDefinitions ?? [], request.variables ?? {});
    if (errors) return { kind: 'invalid', errors: [...errors] };
    if (operation.operation !== 'subscription') return { kind: 'operation', request, document };
    const plan = cached ?? this.plan(document, request.operationName ?? undefined);
    if (!cached) this.cache.set(key, plan);
    return { kind: 'subscription', request, ...plan };
  }

  private plan(document: DocumentNode, operationName: string | undefined): CachedPlan {
    const operationContext = buildOperationContext({ schema: this.schema, operationDocument: document, operationName });
    const operation = operationFromDocument(this.apiSchema, document, { operationName });
    const { node } = this.planner.buildQueryPlan(operation);
    // A subscription selects exactly one root field (validation), so the planner always
    // answers with a Subscription node whose primary fetch goes to the field's owner.
    if (node?.kind !== 'Subscription') throw new Error(`expected a Subscription plan, got ${node?.kind ?? 'an empty plan'}`);
    return { document, operationContext, primary: node.primary, rest: node.rest };
  }
}
