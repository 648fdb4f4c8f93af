import type { ProductOrderDoc, ProductOrderItemDoc } from '../models.js';

/** An order item's state (product and service order items share them). */
export type ItemState = ProductOrderItemDoc['state'];
/** An order's state (product and service orders share them). */
export type OrderState = ProductOrderDoc['state'];

/** Item states after which nothing happens to the item any more. */
export const TERMINAL_ITEM_STATES: readonly ItemState[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'REJECTED'];
/** Order states after which nothing happens to the order any more. */
export const TERMINAL_ORDER_STATES: readonly OrderState[] = ['COMPLETED', 'FAILED', 'PARTIAL', 'CANCELLED', 'REJECTED'];
/** States of an order whose cancellation is under way: a roll-up that is not final leaves them alone. */
const CANCELLING: readonly OrderState[] = ['ASSESSING_CANCELLATION', 'PENDING_CANCELLATION'];

export const isTerminalItem = (state: ItemState): boolean => TERMINAL_ITEM_STATES.includes(state);
export const isTerminalOrder = (state: OrderState): boolean => TERMINAL_ORDER_STATES.includes(state);

/**
 * The TMF622/TMF641 roll-up of an order's state from its items' states: any item not yet
 * terminal → IN_PROGRESS; otherwise all completed → COMPLETED, all failed (or rejected) → FAILED,
 * some cancelled and none completed → CANCELLED (a cancelled order whose other items had
 * already failed is still a cancelled order), completed mixed with failed or cancelled → PARTIAL.
 */
export function rollUp(items: readonly ItemState[]): OrderState {
  if (items.some((s) => !isTerminalItem(s))) return 'IN_PROGRESS';
  const completed = items.filter((s) => s === 'COMPLETED').length;
  const cancelled = items.filter((s) => s === 'CANCELLED').length;
  if (completed === items.length) return 'COMPLETED';
  if (completed === 0 && cancelled > 0) return 'CANCELLED';
  if (completed === 0) return 'FAILED';
  return 'PARTIAL';
}

/**
 * The state an order moves to after its items changed, given the state it is in: a final
 * roll-up always applies; a non-final one moves a waiting order (ACKNOWLEDGED) on to
 * IN_PROGRESS but never takes an order out of a cancellation under way, nor out of a terminal
 * state (a late event must not reopen a finished order).
 */
export function nextOrderState(current: OrderState, items: readonly ItemState[]): OrderState {
  if (isTerminalOrder(current)) return current;
  const rolled = rollUp(items);
  if (isTerminalOrder(rolled)) return rolled;
  return CANCELLING.includes(current) ? current : rolled;
}
