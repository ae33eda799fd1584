/** A first-in first-out list of H2Streams for the scheduler (streams waiting to open, or for window). */
import type { H2Stream } from './h2-stream.js';

/** First-in first-out list of streams with O(1) push and shift. */
export class StreamQueue {
  private items: (H2Stream | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(stream: H2Stream): void {
    this.items.push(stream);
  }

  peek(): H2Stream | undefined {
    return this.items[this.head];
  }

  shift(): H2Stream | undefined {
    const stream = this.items[this.head];
    if (stream === undefined) return undefined;
    this.items[this.head++] = undefined;
    // Compact now and then so the array does not grow without bound.
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return stream;
  }

  /** Removes and returns every queued stream, oldest first. */
  drain(): H2Stream[] {
    const rest = this.toArray();
    this.items = [];
    this.head = 0;
    return rest;
  }

  /** Queued streams, oldest first (a copy). */
  toArray(): H2Stream[] {
    const out: H2Stream[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const stream = this.items[i];
      if (stream !== undefined) out.push(stream);
    }
    return out;
  }
}
