import { TypeRank, typeRank } from '../bson/types.js';
import { MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';

/**
 * The working-copy slot an update modifier acts on, and the modifier interface. Modifiers operate
 * on a private deep copy of the document (see update.ts), never on stored data.
 */

export interface Slot {
  /** Container holding the field (an array for numeric components). */
  parent: Doc | unknown[];
  key: string;
  /** Current value, undefined when absent. */
  value: unknown;
}

export interface ApplyEnv {
  /** The document before the update (for error messages). */
  original: Doc;
  /** The concrete dotted path being updated. */
  path: string;
  now: Date;
}

export interface Modifier {
  /** Whether missing parents are created (false: the modifier is a no-op on missing paths). */
  creates: boolean;
  /** Validates the argument of one field and returns the compiled argument for `apply`. */
  prepare(arg: unknown, path: string): unknown;
  apply(slot: Slot, arg: unknown, env: ApplyEnv): void;
}

export const fail = (code: number, msg: string) => new MongoCommandError(code, msg);
export const isNumeric = (v: unknown) => typeRank(v) === TypeRank.Number;

export function setSlot(slot: Slot, value: unknown): void {
  if (Array.isArray(slot.parent)) {
    const idx = Number(slot.key);
    while (slot.parent.length < idx) slot.parent.push(null);
    slot.parent[idx] = value;
  } else {
    slot.parent[slot.key] = value;
  }
  slot.value = value;
}

export function unsetSlot(slot: Slot): void {
  if (slot.value === undefined) return;
  if (Array.isArray(slot.parent)) slot.parent[Number(slot.key)] = null;
  else delete slot.parent[slot.key];
  slot.value = undefined;
}

