import { badUserInput } from './errors.js';

/** Escapes every regular-expression metacharacter, so user text matches literally. */
export const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The MongoDB condition for a `…Contains` filter: a case-insensitive substring match of the
 * user's text, or undefined when the text is absent or empty (no condition). Text longer than
 * `maxLength` is BAD_USER_INPUT naming `argument`: it is a client bug, not a search.
 */
export function containsIgnoringCase(argument: string, text: string | null | undefined, maxLength: number): { $regex: string; $options: 'i' } | undefined {
  if (text == null || text === '') return undefined;
  if (text.length > maxLength) throw badUserInput(argument, `must be at most ${maxLength} characters`);
  return { $regex: escapeRegex(text), $options: 'i' };
}
