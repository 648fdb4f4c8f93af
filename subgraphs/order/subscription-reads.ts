import type DataLoader from 'dataloader';
import { groupBy, ONE_ROUND_TRIP, oneByIdInKeyOrder } from '../../kit/loaders.js';
import { sharedLoader } from '../../kit/shared-loader.js';
import { subjectKey, subjectsOf, type EventSubject } from './event-hub.js';
import { findProductOrders, findServiceOrders } from './loaders.js';
import type { Models, OrderEventDoc, ProductOrderDoc, ServiceOrderDoc } from './models.js';

/**
 * The reads of the order subscriptions, shared by every subscription of the process
 * (kit/shared-loader): a portal opening 200 subscriptions at once, or one event reaching many
 * subscribers, costs a few database queries, not one per subscription. Each answer is read
 * after it was asked for, so an order is always shown as it is when its event is delivered.
 */
export interface SubscriptionReads {
  productOrder: DataLoader<string, ProductOrderDoc | null>;
  serviceOrder: DataLoader<string, ServiceOrderDoc | null>;
  /** A subject's whole history, oldest first. */
  history: DataLoader<EventSubject, OrderEventDoc[]>;
}

/**
 * Every event of the subjects in one query. A product order's history is its own events; its
 * service orders' events also name it but belong to them.
 */
async function histories(models: Models, subjects: readonly EventSubject[]): Promise<OrderEventDoc[][]> {
  const ids = (key: EventSubject['key']) => [...new Set(subjects.filter((s) => s.key === key).map((s) => s.id))];
  const productOrderIds = ids('productOrderId');
  const serviceOrderIds = ids('serviceOrderId');
  const or = [
    ...(productOrderIds.length ? [{ productOrderId: { $in: productOrderIds }, serviceOrderId: { $exists: false } }] : []),
    ...(serviceOrderIds.length ? [{ serviceOrderId: { $in: serviceOrderIds } }] : []),
  ];
  const events = await models.OrderEvent.find({ $or: or }).sort({ version: 1 }).batchSize(ONE_ROUND_TRIP).lean<OrderEventDoc[]>().exec();
  const bySubject = groupBy(events, (e) => subjectsOf(e)[0] ?? '');
  return subjects.map((s) => bySubject.get(subjectKey(s)) ?? []);
}

const shared = new WeakMap<Models, SubscriptionReads>();

/** The process's shared subscription reads over `models`. */
export function subscriptionReads(models: Models): SubscriptionReads {
  let reads = shared.get(models);
  if (!reads) {
    const [productOrders, serviceOrders] = [findProductOrders(models), findServiceOrders(models)];
    reads = {
      productOrder: sharedLoader(async (ids) => oneByIdInKeyOrder(ids, await productOrders(ids))),
      serviceOrder: sharedLoader(async (ids) => oneByIdInKeyOrder(ids, await serviceOrders(ids))),
      history: sharedLoader((subjects) => histories(models, subjects)),
    };
    shared.set(models, reads);
  }
  return reads;
}
