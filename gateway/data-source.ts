import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayContext } from './context.js';

/**
 * A subgraph call with a deadline. When a subgraph is slow or down the fetch fails fast, the
 * gateway keeps the data the other subgraphs returned, and the error names the subgraph.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly subgraphName: string,
    url: string,
    timeoutMs: number,
  ) {
    super({
      url,
      fetcher: ((input: string, init?: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) })) as never,
    });
  }

  override didReceiveResponse({ response, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0]) {
    const commands = (response.extensions as { dbCommands?: number } | undefined)?.dbCommands;
    if (typeof commands === 'number' && context.dbCommands) {
      context.dbCommands[this.subgraphName] = (context.dbCommands[this.subgraphName] ?? 0) + commands;
    }
    return response;
  }

  override didEncounterError(error: Error, _fetchRequest: unknown, _fetchResponse?: unknown, _context?: GatewayContext): void {
    const reason = error.name === 'TimeoutError' ? 'timed out' : 'is unavailable';
    const wrapped = new Error(`subgraph '${this.subgraphName}' ${reason}: ${error.message}`);
    (wrapped as Error & { extensions?: unknown }).extensions = { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.subgraphName };
    throw wrapped;
  }

}
