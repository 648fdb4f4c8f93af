import type { AnyBulkWriteOperation } from 'mongoose';
import type { Models } from '../models.js';
import type { MeasurementRecord } from './validate.js';

/** What recording one measurement did: a new period, a corrected value, or nothing (a repeat). */
export type RecordStatus = 'CREATED' | 'UPDATED' | 'UNCHANGED';

/** The stored document of a record: the subject field it does not have stays absent (see the partial index). */
const docOf = (r: MeasurementRecord) => ({ ...r.subject, indicator: r.indicator, value: r.value, unit: r.unit, granularity: r.granularity, time: r.time });

/**
 * Stores valid records, idempotently: the id names the series and period, so a repeated report
 * (an EMS retrying a batch) writes nothing and a corrected value replaces the stored one. One
 * read of the ids, then one unordered bulk write of what changed; within a batch the last report
 * of a period wins. Returns each record's status, in order.
 */
export async function storeMeasurements(models: Models, records: readonly MeasurementRecord[]): Promise<RecordStatus[]> {
  if (!records.length) return [];
  const ids = [...new Set(records.map((r) => r._id))];
  const stored = await models.Measurement.find({ _id: { $in: ids } }, { value: 1 }).batchSize(ids.length + 1).lean<{ _id: string; value: number }[]>();
  const values = new Map(stored.map((d) => [d._id, d.value]));
  const writes = new Map<string, MeasurementRecord>();
  const statuses = records.map((r): RecordStatus => {
    const before = values.get(r._id);
    values.set(r._id, r.value);
    if (before === r.value) return 'UNCHANGED';
    writes.set(r._id, r);
    return before === undefined ? 'CREATED' : 'UPDATED';
  });
  if (writes.size) {
    const ops: AnyBulkWriteOperation[] = [...writes.values()].map((r) => ({ updateOne: { filter: { _id: r._id }, update: { $set: docOf(r) }, upsert: true } }));
    await models.Measurement.bulkWrite(ops, { ordered: false });
  }
  return statuses;
}
