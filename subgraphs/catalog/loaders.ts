import { byIdLoader, wholeBatch } from '../../kit/loaders.js';
import type { Models, OfferingDoc, SpecificationDoc } from './models.js';

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
