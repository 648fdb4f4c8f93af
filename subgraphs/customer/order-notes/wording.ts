/**
 * The words of a CRM order note: what a CSR reads when the customer calls about an order. A
 * product order's final event says how each item ended; the note names the services that went
 * live and why items failed, so the CSR need not look the order up to answer.
 */

/** How an item ended, as the order outbox's final event carries it (malformed entries are left out). */
export interface EndedItem {
  id: string;
  state: string;
  serviceId: string | null;
  failureReason: string | null;
}

/** The end states a customer hears about, and how the note words them. */
export const NOTED_STATES: Record<string, string> = {
  COMPLETED: 'completed',
  FAILED: 'failed',
  PARTIAL: 'partially completed',
  CANCELLED: 'cancelled',
};

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** The event's `items`, keeping only well-formed entries (events come from another subgraph). */
export function endedItems(raw: unknown): EndedItem[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: Record<string, unknown> | null) => {
    const id = text(item?.id);
    const state = text(item?.state);
    return id && state ? [{ id, state, serviceId: text(item!.serviceId), failureReason: text(item!.failureReason) }] : [];
  });
}

/** The services the order's completed items activated. */
export const activatedServices = (items: EndedItem[]): string[] => items.filter((i) => i.state === 'COMPLETED' && i.serviceId).map((i) => i.serviceId!);

/**
 * `Order PO-1 completed; service svc-1 is active.`, `Order PO-1 partially completed; service
 * svc-1 is active; item 2 failed: <reason>.`, `Order PO-1 cancelled: <reason>.`; just `Order PO-1
 * failed` when the event says nothing more (an event written before events carried items).
 */
export function orderNoteText(productOrderId: string, state: string, items: EndedItem[], cancellationReason: string | null): string {
  const parts: string[] = [];
  const active = activatedServices(items);
  if (active.length === 1) parts.push(`service ${active[0]} is active`);
  if (active.length > 1) parts.push(`services ${active.join(', ')} are active`);
  for (const item of items.filter((i) => i.state === 'FAILED')) parts.push(`item ${item.id} failed: ${item.failureReason ?? 'no reason recorded'}`);
  const head = `Order ${productOrderId} ${NOTED_STATES[state]}`;
  if (state === 'CANCELLED' && cancellationReason) return `${head}: ${cancellationReason}.`;
  return parts.length ? `${head}; ${parts.join('; ')}.` : head;
}
