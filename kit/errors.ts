import { GraphQLError } from 'graphql';

/**
 * The error codes clients can branch on (`extensions.code`). They are public API: add, never
 * rename. Error classes are an implementation detail.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  CONFLICT: 'CONFLICT',
  RESOURCE_UNAVAILABLE: 'RESOURCE_UNAVAILABLE',
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Bad input: names the offending argument (or input field path) so clients can show it. */
export function badUserInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(`${argument}: ${message}`, { extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName: argument } });
}

/**
 * Bad input inside an input object: `field` is the path from the argument down to the offending
 * value (`input.items[0].characteristics[0].value`), reported as `extensions.field`, and its first
 * segment is the argument (`extensions.argumentName`).
 */
export function badInputField(field: string, message: string): GraphQLError {
  const argumentName = /^[^.[]+/.exec(field)?.[0] ?? field;
  return new GraphQLError(`${field}: ${message}`, { extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName, field } });
}

/** A subgraph this one depends on failed or did not answer in time; names it in `extensions.subgraph`. */
export function subgraphUnavailable(subgraph: string, message: string): GraphQLError {
  return new GraphQLError(`${subgraph} subgraph unavailable: ${message}`, { extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, subgraph } });
}

export function notFound(what: string, id: string): GraphQLError {
  return new GraphQLError(`${what} '${id}' does not exist`, { extensions: { code: ErrorCode.NOT_FOUND, id } });
}

export function conflict(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT } });
}

/** No resource has the capacity the request needs: a business refusal, not an outage to retry. */
export function resourceUnavailable(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.RESOURCE_UNAVAILABLE } });
}

/** For exhaustive switches: the compiler proves this is never reached. */
export function unreachable(value: never): never {
  throw new Error(`unreachable case: ${JSON.stringify(value)}`);
}
