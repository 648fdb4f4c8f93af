import { badUserInput } from '../../../kit/errors.js';

/** Which stream a cursor belongs to: a cursor of one is refused by the other. */
export type StreamName = 'AlarmChange' | 'SlaViolationChange';

/** The opaque cursor of an outbox event on a stream: its `seq`. */
export function encodeCursor(stream: StreamName, seq: number): string {
  return Buffer.from(`${stream}:${seq}`).toString('base64url');
}

/** The `seq` an `after` argument points at; BAD_USER_INPUT naming `after` unless it is a cursor of `stream`. */
export function decodeCursor(stream: StreamName, after: string): number {
  const match = /^(\w+):(\d{1,15})$/.exec(Buffer.from(after, 'base64url').toString());
  if (!match || match[1] !== stream) throw badUserInput('after', `'${after}' is not a cursor of ${stream} events`);
  return Number(match[2]);
}
