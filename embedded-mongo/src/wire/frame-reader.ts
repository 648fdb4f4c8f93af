import { HEADER_BYTES, ProtocolError } from './protocol.js';

/**
 * Reassembles wire-protocol frames from arbitrary TCP chunks.
 *
 * Chunks are kept in a list and each frame is copied out exactly once when it is complete, so a
 * 48 MB message arriving in 64 KiB chunks costs O(n) rather than the O(n²) of concatenating on
 * every chunk. The declared length is validated as soon as its 4 bytes are available, so an
 * oversized message is rejected before its body is buffered.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** @param maxMessageBytes largest acceptable messageLength (inclusive). */
  constructor(private readonly maxMessageBytes: number) {}

  /** Bytes received but not yet returned as part of a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Appends a chunk received from the socket. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /**
   * Returns the next complete frame (header included), or null if more bytes are needed.
   * @throws ProtocolError when the declared messageLength is out of bounds.
   */
  next(): Buffer | null {
    if (this.buffered < 4) return null;
    const length = this.peekInt32();
    if (length < HEADER_BYTES || length > this.maxMessageBytes) {
      throw new ProtocolError(`invalid messageLength ${length} (allowed ${HEADER_BYTES}..${this.maxMessageBytes})`);
    }
    if (this.buffered < length) return null;
    return this.take(length);
  }

  private peekInt32(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readInt32LE(0);
    const head = Buffer.allocUnsafe(4);
    let filled = 0;
    for (const chunk of this.chunks) {
      filled += chunk.copy(head, filled, 0, Math.min(chunk.length, 4 - filled));
      if (filled === 4) break;
    }
    return head.readInt32LE(0);
  }

  private take(length: number): Buffer {
    const first = this.chunks[0];
    this.buffered -= length;
    // Common case (whole frame inside one chunk): hand out a view, no copy.
    if (first.length >= length) {
      if (first.length === length) this.chunks.shift();
      else this.chunks[0] = first.subarray(length);
      return first.subarray(0, length);
    }
    const frame = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.chunks[0];
      const n = Math.min(chunk.length, length - filled);
      chunk.copy(frame, filled, 0, n);
      filled += n;
      if (n === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(n);
    }
    return frame;
  }
}
