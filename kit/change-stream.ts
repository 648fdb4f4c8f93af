import type { ChangeStream } from 'mongodb';

/**
 * Resolves once the server has opened `stream`: every change committed after that reaches its
 * `change` listeners. The driver reports the first resume token as soon as the server answered
 * the `aggregate` that opens the stream (or with the first change, whichever comes first).
 * Rejects when the stream fails or closes first; `what` names it in that error.
 */
export function streamOpened(stream: ChangeStream, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    stream.once('resumeTokenChanged', () => resolve());
    stream.once('error', reject);
    stream.once('close', () => reject(new Error(`${what} closed before it opened`)));
  });
}
