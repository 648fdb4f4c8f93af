/** Per-request gateway state. */
export interface GatewayContext {
  /** Database commands each subgraph reported for this request (development only). */
  dbCommands?: Record<string, number>;
}
