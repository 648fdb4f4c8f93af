/** A BSON document as the engine holds it: deserialized with `promoteLongs`/`promoteValues`. */
export type Doc = Record<string, unknown>;

/** Logger used across the server; `console` fits, tests may pass a silent one. */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {} };
