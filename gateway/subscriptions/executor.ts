import type { GraphQLDataSource, ServiceMap } from '@apollo/gateway';
import type { GatewayContext } from '../context.js';
import { OrderedEventStream, type EventStreamOptions } from './event-stream.js';
import { createEventExpander } from './expand.js';
import { SubscriptionPlanner, type OperationRequest, type PlannedSubscription, type Prepared } from './planner.js';
import { UpstreamSubscriptions } from './upstream.js';

export interface SubscriptionExecutorOptions {
  /** The supergraph the gateway serves (the same SDL its ApolloGateway was built from). */
  supergraphSdl: string;
  /** The gateway's data sources by subgraph name: the rest of every plan is fetched with them. */
  dataSources: Record<string, GraphQLDataSource<GatewayContext>>;
  /** Subgraph HTTP URLs by name; subscriptions go to the same URL over ws(s). */
  urls: Record<string, string>;
  /** How long a subgraph may take to acknowledge a graphql-ws connection. */
  connectTimeoutMs: number;
  /** Per-event context handed to the data sources. */
  context?: () => GatewayContext;
  stream?: Partial<EventStreamOptions>;
}

/**
 * Expansions of one subscription's events run at most this many at a time. Several at once hide
 * entity-fetch latency when a subgraph replays a history burst; delivery stays in event order.
 */
const DEFAULT_STREAM: EventStreamOptions = { concurrency: 8, maxPending: 1000 };

/**
 * The gateway's generic federated-subscription executor: plans the operation with the query
 * planner, opens the plan's primary fetch as a graphql-ws subscription to the subgraph that owns
 * the root field, and turns every event into a full result by running the rest of the plan.
 * Nothing here knows any particular subscription field.
 */
export class SubscriptionExecutor {
  readonly planner: SubscriptionPlanner;
  readonly upstream: UpstreamSubscriptions;
  private readonly serviceMap: ServiceMap;
  private readonly streamOptions: EventStreamOptions;
  private readonly context: () => GatewayContext;

  constructor(opts: SubscriptionExecutorOptions) {
    this.planner = new SubscriptionPlanner(opts.supergraphSdl);
    this.upstream = new UpstreamSubscriptions(opts.urls, opts.connectTimeoutMs);
    this.serviceMap = { ...opts.dataSources };
    this.streamOptions = { ...DEFAULT_STREAM, ...opts.stream };
    this.context = opts.context ?? (() => ({}));
  }

  /** Validates and plans; see SubscriptionPlanner.prepare. */
  prepare(request: OperationRequest): Prepared {
    return this.planner.prepare(request);
  }

  /** Starts a planned subscription: results of its events, in order; ends when upstream ends. */
  subscribe(subscription: PlannedSubscription): OrderedEventStream {
    const { primary, request } = subscription;
    const expand = createEventExpander(subscription, this.planner, this.serviceMap, this.context);
    const stream = new OrderedEventStream(expand, this.streamOptions);
    // The subgraph gets only the variables its operation declares, as for any other fetch.
    const variables: Record<string, unknown> = {};
    for (const name of primary.variableUsages ?? []) {
      if (request.variables && request.variables[name] !== undefined) variables[name] = request.variables[name];
    }
    const cancel = this.upstream.subscribe(
      primary.serviceName,
      { query: primary.operation, operationName: primary.operationName, variables },
      { next: (event) => stream.push(event), error: (error) => stream.fail(error), complete: () => stream.end() },
    );
    stream.onStop(cancel);
    return stream;
  }

  async close(): Promise<void> {
    await this.upstream.close();
  }
}
