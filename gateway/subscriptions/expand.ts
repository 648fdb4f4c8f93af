import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import type { PlanNode, QueryPlan } from '@apollo/query-planner';
import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import type { GatewayContext } from '../context.js';
import { GraphQLError } from '../../kit/graphql-cjs.js';
import type { PlannedSubscription, SubscriptionPlanner } from './planner.js';

type RequestContext = Parameters<typeof executeQueryPlan>[2];
type ProcessOptions = Parameters<GraphQLDataSource['process']>[0];
type DataSourceResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** What the subgraph sent for one event (graphql-ws `next` payload). */
export type SubgraphEvent = FormattedExecutionResult;

/** Turns one subgraph event into the client's result for it. Never rejects. */
export type ExpandEvent = (event: SubgraphEvent) => Promise<ExecutionResult>;

/**
 * Stands in for the subgraph that owns the subscription, for one event: the primary fetch is
 * answered with the event the subgraph already pushed; any other operation (an `_entities`
 * fetch of the rest of the plan to that same subgraph) goes to the real data source. The
 * primary is recognised by its operation text: the planner generates it, and a subscription
 * operation can never equal a query/entity fetch.
 */
class EventDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly event: SubgraphEvent,
    private readonly primaryOperation: string,
    private readonly delegate: GraphQLDataSource<GatewayContext> | undefined,
  ) {}

  process(options: ProcessOptions): Promise<DataSourceResponse> {
    if (options.request.query === this.primaryOperation) {
      const { data, errors, extensions } = this.event;
      return Promise.resolve({ data: data ?? undefined, errors, extensions });
    }
    if (!this.delegate) return Promise.reject(new Error('no data source for the subscription subgraph'));
    return this.delegate.process(options);
  }
}

/**
 * Builds the per-event executor of one subscription. Each event runs a plan of
 * `Sequence [primary, rest]` through the gateway's own `executeQueryPlan`, so entity merging,
 * `@requires`, output rewrites, error paths and result shaping (aliases, `__typename`, nulling
 * per the API schema) behave exactly as for a query — the only difference is that the primary
 * fetch reads the event instead of calling the subgraph.
 */
export function createEventExpander(
  subscription: PlannedSubscription,
  planner: SubscriptionPlanner,
  serviceMap: ServiceMap,
  context: () => GatewayContext,
): ExpandEvent {
  const { primary, rest, request, document, operationContext } = subscription;
  const node: PlanNode = rest ? { kind: 'Sequence', nodes: [primary, rest] } : primary;
  const queryPlan: QueryPlan = { kind: 'QueryPlan', node };
  const owner = serviceMap[primary.serviceName] as GraphQLDataSource<GatewayContext> | undefined;
  return async (event) => {
    try {
      const requestContext = {
        request: { query: request.query, operationName: request.operationName ?? undefined, variables: request.variables ?? {} },
        document,
        operationName: request.operationName ?? null,
        context: context(),
        // executeQueryPlan appends subgraph error paths to `metrics`; it must be an object.
        metrics: {},
      } as unknown as RequestContext;
      const services = { ...serviceMap, [primary.serviceName]: new EventDataSource(event, primary.operation, owner) };
      return await executeQueryPlan(queryPlan, services, requestContext, operationContext, planner.supergraphSchema, planner.apiSchema);
    } catch (err) {
      // An event is delivered exactly once even when its expansion blows up: as errors.
      return { errors: [err instanceof GraphQLError ? err : new GraphQLError(`could not expand the event: ${(err as Error).message}`)] };
    }
  };
}
