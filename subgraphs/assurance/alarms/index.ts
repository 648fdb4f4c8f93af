/**
 * Alarm management (TMF642) as plain functions: the GraphQL mutations, `POST /alarms` and other
 * parts of the subgraph (SLA evaluation raising quality-of-service alarms) all go through here.
 * `deps` is anything with the subgraph's `models` and `config` — a resolver context or the
 * background deps; the topology replica and ingest queue are found from the models
 * (runtime.ts).
 */
import type { GraphQLError } from 'graphql';
import { badInputField } from '../../../kit/errors.js';
import type { AlarmDoc } from '../models.js';
import { assuranceRuntime, type AssuranceDeps } from '../runtime.js';
import { validateRaiseInput } from './input.js';
import { changeAlarm, checkComment, operations } from './lifecycle.js';
import { changeAlarms } from './pattern.js';
import type { AlarmInputError, AlarmPattern, BulkAlarmResult, RaiseAlarmInput, RaiseResult, ValidAlarm } from './types.js';

export type { AlarmInputError, AlarmPattern, BulkAlarmResult, CrossedThresholdInput, RaiseAlarmInput, RaiseResult } from './types.js';
export type { AssuranceDeps } from '../runtime.js';
export { INGEST_BATCH } from './ingest-queue.js';

const isError = (o: AlarmDoc | AlarmInputError): o is AlarmInputError => 'code' in o && !('_id' in o);

/**
 * Raises alarms, in order, as if one after the other: each input creates an alarm or, for a fault
 * already active (same resource, probable cause and specific problem), updates it (UPDATED,
 * count + 1). Correlated on the topology (see alarms/correlate.ts); every change with its outbox
 * event. A bad input (invalid field, unknown resource) gets its error and the others are stored.
 * Throws only when nothing could be stored: database or inventory unavailable (SUBGRAPH_UNAVAILABLE).
 * Inputs are typed, but checked at run time like any NDJSON line.
 */
export async function raiseAlarms(deps: AssuranceDeps, inputs: readonly (RaiseAlarmInput | unknown)[]): Promise<RaiseResult[]> {
  const now = new Date();
  const checked = inputs.map((input) => validateRaiseInput(input, now));
  const valid = checked.flatMap((c) => ('alarm' in c ? [c.alarm] : [] as ValidAlarm[]));
  const stored = valid.length ? await assuranceRuntime(deps).ingest.submit(valid) : [];
  let k = 0;
  return checked.map((c): RaiseResult => {
    const outcome = 'alarm' in c ? stored[k++] : c.error;
    return isError(outcome) ? { alarm: null, error: outcome } : { alarm: outcome, error: null };
  });
}

/** Raises one alarm (see `raiseAlarms`); a bad input throws BAD_USER_INPUT naming `<argument>.<field>` and nothing is written. */
export async function raiseAlarm(deps: AssuranceDeps, input: RaiseAlarmInput, argument = 'input'): Promise<AlarmDoc> {
  const [result] = await raiseAlarms(deps, [input]);
  if (result.error) throw inputErrorToGraphQL(result.error, argument);
  return result.alarm!;
}

/** An input error (always BAD_USER_INPUT) as the GraphQL error a single-alarm mutation throws, its field under `argument`. */
export function inputErrorToGraphQL(error: AlarmInputError, argument: string): GraphQLError {
  const field = error.field ? `${argument}.${error.field}` : argument;
  const message = error.field && error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
  return badInputField(field, message);
}

/** Clears an alarm (idempotent: a cleared alarm is returned as it is). Unknown id → NOT_FOUND. */
export function clearAlarm(deps: AssuranceDeps, id: string): Promise<AlarmDoc> {
  return changeAlarm(deps.models, id, operations.clear());
}

/** Acknowledges an alarm (an acknowledged one is returned as it is). Unknown id → NOT_FOUND. */
export function acknowledgeAlarm(deps: AssuranceDeps, id: string, ackUserId: string | null = null, ackSystemId: string | null = null): Promise<AlarmDoc> {
  return changeAlarm(deps.models, id, operations.acknowledge(ackUserId, ackSystemId));
}

/** Withdraws an acknowledgement (an unacknowledged alarm is returned as it is). Unknown id → NOT_FOUND. */
export function unacknowledgeAlarm(deps: AssuranceDeps, id: string): Promise<AlarmDoc> {
  return changeAlarm(deps.models, id, operations.unacknowledge());
}

/** Adds a comment to an alarm. Unknown id → NOT_FOUND; empty comment → BAD_USER_INPUT `comment`. */
export function commentAlarm(deps: AssuranceDeps, id: string, comment: string, userId: string | null = null, systemId: string | null = null): Promise<AlarmDoc> {
  return changeAlarm(deps.models, id, operations.comment(checkComment('comment', comment), userId, systemId));
}

/** Acknowledges every alarm matching the pattern, in one transaction. */
export function acknowledgeAlarms(deps: AssuranceDeps, pattern: AlarmPattern, ackUserId: string | null = null, ackSystemId: string | null = null): Promise<BulkAlarmResult> {
  return changeAlarms(deps.models, pattern, operations.acknowledge(ackUserId, ackSystemId));
}

/** Clears every alarm matching the pattern, in one transaction; cleared ones are matched but not changed. */
export function clearAlarms(deps: AssuranceDeps, pattern: AlarmPattern): Promise<BulkAlarmResult> {
  return changeAlarms(deps.models, pattern, operations.clear());
}

/** Comments every alarm matching the pattern, in one transaction. */
export function commentAlarms(deps: AssuranceDeps, pattern: AlarmPattern, comment: string, userId: string | null = null, systemId: string | null = null): Promise<BulkAlarmResult> {
  return changeAlarms(deps.models, pattern, operations.comment(checkComment('comment', comment), userId, systemId));
}
