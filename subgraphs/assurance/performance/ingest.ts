import { GRANULARITY_MINUTES } from '../domain.js';
import { assuranceRuntime, type AssuranceDeps } from '../runtime.js';
import { slaEngine } from '../sla/engine.js';
import { storeMeasurements, type RecordStatus } from './store.js';
import { isInputError, validateMeasurement, type InputError, type MeasurementInput, type MeasurementRecord } from './validate.js';

/** What became of one input: stored (as `record`, with what storing it did), or refused. */
export type IngestOutcome = { record: MeasurementRecord; status: RecordStatus; error?: undefined } | { error: InputError; record?: undefined; status?: undefined };

/** Inputs one call may carry: a GraphQL request or one NDJSON chunk; POST /measurements streams larger bodies chunk by chunk. */
export const MAX_MEASUREMENTS = 10_000;

function unknownSubject(field: 'resourceId' | 'serviceId', path: string, id: string): InputError {
  const at = path ? `${path}.${field}` : field;
  return { code: 'BAD_USER_INPUT', message: `${at}: no ${field === 'resourceId' ? 'resource' : 'service'} '${id}' in the inventory`, field: at };
}

/**
 * Records measurements (the `recordMeasurements` mutation and each chunk of `POST
 * /measurements`): every input is validated, and its resource or service must exist in the
 * inventory (asked through the topology replica and the SLA directory, both cached; the
 * customer and catalog subgraphs are not needed to ingest); refused
 * inputs get their error and nothing is written for them, the others are stored idempotently.
 * Then the SLA evaluation of the service series that changed runs before this resolves; its
 * failures never fail the ingestion (they are retried in the background). Throws
 * SUBGRAPH_UNAVAILABLE, storing nothing, when the inventory cannot say what exists.
 * `pathOf(i)` names input i in errors (`inputs[3]`, or '' for an NDJSON line).
 */
export async function ingestMeasurements(deps: AssuranceDeps, inputs: readonly MeasurementInput[], pathOf: (i: number) => string): Promise<IngestOutcome[]> {
  const checked: (MeasurementRecord | InputError)[] = inputs.map((input, i) => validateMeasurement(input, pathOf(i)));
  const valid = checked.filter((c): c is MeasurementRecord => !isInputError(c));
  const resourceIds = [...new Set(valid.flatMap((r) => (r.subject.resourceId !== undefined ? [r.subject.resourceId] : [])))];
  const serviceIds = [...new Set(valid.flatMap((r) => (r.subject.serviceId !== undefined ? [r.subject.serviceId] : [])))];
  const engine = slaEngine(deps);
  const [unknownResources, unknownServices] = await Promise.all([
    resourceIds.length ? assuranceRuntime(deps).topology.ensure(resourceIds).then((ids) => new Set(ids)) : new Set<string>(),
    serviceIds.length ? engine.directory.unknown(serviceIds) : new Set<string>(),
  ]);
  const outcomes = checked.map((c, i): MeasurementRecord | InputError => {
    if (isInputError(c)) return c;
    if (c.subject.resourceId !== undefined && unknownResources.has(c.subject.resourceId)) return unknownSubject('resourceId', pathOf(i), c.subject.resourceId);
    if (c.subject.serviceId !== undefined && unknownServices.has(c.subject.serviceId)) return unknownSubject('serviceId', pathOf(i), c.subject.serviceId);
    return c;
  });
  const accepted = outcomes.filter((c): c is MeasurementRecord => !isInputError(c));
  const statuses = await storeMeasurements(deps.models, accepted);
  const changed = accepted.filter((r, i) => statuses[i] !== 'UNCHANGED' && r.subject.serviceId !== undefined);
  await engine.onStored(changed.map((r) => ({
    serviceId: r.subject.serviceId!, indicator: r.indicator, end: new Date(r.time.getTime() + GRANULARITY_MINUTES[r.granularity] * 60_000),
  })));
  let k = 0;
  return outcomes.map((c) => (isInputError(c) ? { error: c } : { record: c, status: statuses[k++] }));
}
