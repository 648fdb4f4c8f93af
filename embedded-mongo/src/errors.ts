import type { Doc } from './types.js';

/**
 * mongod error codes the server answers with. Drivers and mongoose branch on these numbers and
 * names (e.g. 11000 for duplicate keys, 112 + `TransientTransactionError` for retries), so they
 * are part of the wire contract and must match mongod exactly.
 */
export const ErrorCode = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  InvalidLength: 16,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  DollarPrefixedFieldName: 52,
  NotSingleValueField: 54,
  EmptyFieldName: 56,
  CannotCreateIndex: 67,
  InvalidPipelineOperator: 168,
  CannotIndexParallelArrays: 171,
  ConversionFailure: 241,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  Unauthorized: 13,
  CursorInUse: 292,
  NamespaceExists: 48,
  MaxTimeMSExpired: 50,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  NoSuchTransaction: 251,
  TransactionTooOld: 225,
  ConflictingOperationInProgress: 117,
  WriteConflict: 112,
  NotImplemented: 238,
  CommandNotSupported: 115,
  LocationNotFound: 40324,
  ChangeStreamHistoryLost: 286,
  TransactionCommitted: 256,
  InvalidIdField: 53,
  DuplicateKey: 11000,
  Location40352: 40352,
  OperationNotSupportedInTransaction: 263,
  Location40415: 40415,
  InvalidResumeToken: 260,
  ChangeStreamFatalError: 280,
} as const;

const CODE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(ErrorCode).map(([name, code]) => [code, name]),
);
CODE_NAMES[ErrorCode.LocationNotFound] = 'Location40324';

/** An error answered to the client as `{ ok: 0, errmsg, code, codeName, ...extra }`. */
export class MongoCommandError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly extra: Doc = {},
    readonly errorLabels: string[] = [],
  ) {
    super(message);
  }

  get codeName(): string {
    return CODE_NAMES[this.code] ?? `Location${this.code}`;
  }

  toReply(): Doc {
    const reply: Doc = { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
    if (this.errorLabels.length) reply.errorLabels = this.errorLabels;
    return reply;
  }
}

export const badValue = (msg: string) => new MongoCommandError(ErrorCode.BadValue, msg);

/** mongod's answer for a command, stage, operator or option this server does not implement. */
export const notImplemented = (feature: string) =>
  new MongoCommandError(ErrorCode.NotImplemented, `${feature} is not supported by the embedded MongoDB server`);
