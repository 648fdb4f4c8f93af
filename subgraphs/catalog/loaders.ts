import DataLoader from 'dataloader';
import type { Models, OfferingDoc, SpecificationDoc } from './models.js';

/**
 * The batch is returned in ONE reply: the server's default first batch is 101 documents, and
 * every getMore would be one more database command per request. `+ 1` lets the server see the
 * end of the results inside the batch and close the cursor instead of leaving it for a getMore.
 */
export const wholeBatch = (expectedDocs: number) => expectedDocs + 1;

/** `find({_id: {$in: ids}})` as a DataLoader batch: results in key order, `null` for misses. */
function byIdLoader<T extends { _id: string }>(find: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const docs = await find([...ids]);
    const byId = new Map(docs.map((d) => [d._id, d]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Per-request DataLoaders of the catalog subgraph. */
export function createLoaders(models: Models) {
  return {
    /** Product offering by id (also serves `bundledProductOfferings`). */
    offeringById: byIdLoader((ids) =>
      models.ProductOffering.find({ _id: { $in: ids } }).batchSize(wholeBatch(ids.length)).lean<OfferingDoc[]>(),
    ),
    /** Product specification by id (also serves `ProductOffering.productSpecification`). */
    specificationById: byIdLoader((ids) =>
      models.ProductSpecification.find({ _id: { $in: ids } }).batchSize(wholeBatch(ids.length)).lean<SpecificationDoc[]>(),
    ),
  };
}

/** The catalog subgraph's loaders. */
export type Loaders = ReturnType<typeof createLoaders>;
