import type DataLoader from 'dataloader';
import { byIdLoader, wholeBatch } from '../../../kit/loaders.js';
import { groupPageLoader, pagedGroups, pageShape, type GroupPage } from '../../../kit/paged-groups.js';
import type { Page } from '../../../kit/pagination.js';
import type { Models } from '../models.js';
import type { SlaViolationDoc } from './model.js';
import type { ViolationState } from './terms.js';

/** Which page of which customer's (or service's) violations, in which state (null = every state). */
export interface ViolationsKey {
  ownerId: string;
  state: ViolationState | null;
  page: Page;
}

/** Every violation list: most recent breach first; `_id` keeps pages stable. */
export const VIOLATION_ORDER = { start: -1, _id: 1 } as const;

/** The query of a violation list; conditions left out (null) select everything. */
export function violationQuery(conditions: { customerId?: string | null; serviceId?: string | null; state?: ViolationState | null }): Record<string, unknown> {
  return Object.fromEntries(Object.entries(conditions).filter(([, v]) => v != null));
}

/** Pages of many customers' (or services') violations asking one shape, in one aggregation. */
function violationPageLoader(models: Models, field: 'customerId' | 'serviceId'): DataLoader<ViolationsKey, GroupPage<SlaViolationDoc>, string> {
  return groupPageLoader<ViolationsKey, SlaViolationDoc>({
    groupOf: (k) => k.ownerId,
    shapeOf: (k) => `${k.state ?? '*'}|${pageShape(k.page)}`,
    load: (ownerIds, { state, page }) => pagedGroups<SlaViolationDoc>(models.SlaViolation, {
      stages: [{ $match: { [field]: { $in: ownerIds }, ...violationQuery({ state }) } }], sort: VIOLATION_ORDER, groupField: field, page, groups: ownerIds.length,
    }),
  });
}

/** The per-request SLA loaders of the assurance subgraph. */
export function createSlaLoaders(models: Models) {
  return {
    /** SLA violation by id; `null` for unknown ids. */
    slaViolationById: byIdLoader((ids) => models.SlaViolation.find({ _id: { $in: ids } }).batchSize(wholeBatch(ids.length)).lean<SlaViolationDoc[]>()),
    /** A page of a customer's SLA violations, most recent first, with their total. */
    customerSlaViolationPage: violationPageLoader(models, 'customerId'),
    /** A page of a service's SLA violations, most recent first, with their total. */
    serviceSlaViolationPage: violationPageLoader(models, 'serviceId'),
  };
}
