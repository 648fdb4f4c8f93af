import { EventEmitter } from 'node:events';

/**
 * In-process wake-ups for the saga runners: the BSS→OSS consumer nudges the service order it
 * created, a cancellation nudges the orders it cancels (interrupting a step that waits). Other
 * instances learn the same from their periodic sweep; this only makes the local case immediate.
 */
const bus = new EventEmitter();
bus.setMaxListeners(0);

export type NudgeListener = (serviceOrderId: string, interrupt: boolean) => void;

/** Asks the runners of this process to look at a service order now; `interrupt` cuts short a step in progress. */
export function nudgeSaga(serviceOrderId: string, interrupt = false): void {
  bus.emit('nudge', serviceOrderId, interrupt);
}

/** Subscribes a runner; returns the unsubscribe. */
export function onSagaNudge(listener: NudgeListener): () => void {
  bus.on('nudge', listener);
  return () => bus.off('nudge', listener);
}
