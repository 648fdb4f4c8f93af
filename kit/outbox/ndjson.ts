/**
 * The lines of an NDJSON response body, as they arrive. When nothing at all arrives for
 * `silenceMs` (the feed sends a heartbeat every few seconds) the connection is taken for dead:
 * `onSilence` is called (it aborts the fetch, which ends the read with an error). Waiting for the
 * reader between lines (e.g. a slow handler) does not count as silence.
 */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>, silenceMs: number, onSilence: () => void): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const timer = setTimeout(onSilence, silenceMs);
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } finally {
        clearTimeout(timer);
      }
      if (chunk.done) break;
      buffered += decoder.decode(chunk.value, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) yield line;
      }
    }
    // A last line without its newline is a write cut short: never parse half an event.
  } finally {
    await reader.cancel().catch(() => {});
  }
}
