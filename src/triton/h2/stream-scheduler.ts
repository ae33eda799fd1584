/**
 * The sending side of one connection: which streams are open, which wait for a free slot
 * under the server's SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2), and outbound flow
 * control (§6.9): DATA is split by min(max frame size, stream window, connection window) and
 * resumed on WINDOW_UPDATE. A small request on an idle connection takes the fast path: one
 * copy of its pre-built frames into the output slab and two stream-id patches.
 */
import type { H2Stream } from './h2-stream.js';
import type { OutputBuffer } from './output-buffer.js';
import { TABLE_SIZE_UPDATE_ZERO } from './hpack-encoder.js';
import {
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_WINDOW_BYTES,
  FRAME_HEADER_BYTES,
  FrameFlag,
  FrameType,
  putFrameHeader,
  putUint31,
  SettingId,
} from './frames.js';
import { GRPC_PREFIX_BYTES } from './grpc-wire.js';
import type { SettingsTarget } from './apply-settings.js';
import type { OutboundQueue } from './outbound-queue.js';
import { StreamQueue } from './stream-queue.js';

/** Opens streams and frames their requests for one connection. */
export class StreamScheduler implements SettingsTarget {
  /** Open streams by id. */
  readonly active = new Map<number, H2Stream>();
  /** False until the server's first SETTINGS (we do not guess its limits, §3.4). */
  isOpen = false;
  /** No new streams: GOAWAY received, ids exhausted or connection closing. */
  isDraining = false;
  maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
  maxConcurrent = Number.POSITIVE_INFINITY;
  peerInitialWindow = DEFAULT_WINDOW_BYTES;
  connWindow = DEFAULT_WINDOW_BYTES;
  /** The server's SETTINGS_HEADER_TABLE_SIZE (its decoder's limit, RFC 7541 §4.2). */
  peerHeaderTableSize = 4096;
  /** Set when the server changed SETTINGS_HEADER_TABLE_SIZE: our next block starts with a size update. */
  needsTableSizeUpdate = false;
  /** Highest stream id opened so far (0 = none). */
  lastStreamId = 0;
  private readonly pending = new StreamQueue();
  private readonly dataQueue = new StreamQueue();

  /**
   * @param requestFlush called after frames were added to `out`
   * @param maxStreamId the last id we may use (2^31-1; smaller in tests)
   */
  constructor(
    private readonly out: OutputBuffer,
    private readonly requestFlush: () => void,
    private readonly maxStreamId: number,
  ) {}

  /** True when ids are used up: the owner must move new requests to another connection. */
  get isExhausted(): boolean {
    return this.lastStreamId + 2 > this.maxStreamId;
  }

  /** Opens `stream` now when allowed, else queues it. */
  submit(stream: H2Stream): void {
    if (this.pending.length === 0 && this.canOpen()) this.open(stream);
    else this.pending.push(stream);
  }

  /** Opens queued streams while the server's limits allow. */
  openPending(): void {
    while (this.pending.length > 0 && this.canOpen()) {
      const stream = this.pending.shift() as H2Stream;
      if (!stream.isFinished) this.open(stream);
    }
  }

  /** Removes and returns the queued (never sent) streams that are not finished. */
  takePending(): H2Stream[] {
    return this.pending.drain().filter((s) => !s.isFinished);
  }

  /** Queued streams (a copy), for the deadline sweep. */
  pendingStreams(): H2Stream[] {
    return this.pending.toArray();
  }

  /** Forgets a finished stream and lets a queued one take its slot. */
  release(stream: H2Stream): void {
    if (stream.id !== 0) this.active.delete(stream.id);
    this.openPending();
  }

  /** Adds to the connection send window (caller checked overflow) and resumes blocked DATA. */
  addConnectionWindow(increment: number): void {
    this.connWindow += increment;
    this.pumpData();
  }

  /** Applies one SETTINGS parameter, already validated by `applySettings`, to this scheduler. */
  applyPeerSetting(id: number, value: number): boolean {
    switch (id) {
      case SettingId.HEADER_TABLE_SIZE:
        // Our encoder never indexes, but HPACK still requires a size update after a change (RFC 7541 §4.2).
        if (value !== this.peerHeaderTableSize) this.needsTableSizeUpdate = true;
        this.peerHeaderTableSize = value;
        return true;
      case SettingId.MAX_CONCURRENT_STREAMS:
        this.maxConcurrent = value;
        return true;
      case SettingId.INITIAL_WINDOW_SIZE:
        return this.setPeerInitialWindow(value);
      case SettingId.MAX_FRAME_SIZE:
        this.maxFrameBytes = value;
        return true;
      default:
        return true;
    }
  }

  /** Applies a new SETTINGS_INITIAL_WINDOW_SIZE to every open stream (§6.9.2); returns false on overflow. */
  setPeerInitialWindow(value: number): boolean {
    const delta = value - this.peerInitialWindow;
    this.peerInitialWindow = value;
    for (const stream of this.active.values()) {
      stream.sendWindow += delta;
      if (stream.sendWindow > 0x7fffffff) return false;
    }
    if (delta > 0) {
      for (const stream of this.active.values()) this.sendData(stream);
    }
    return true;
  }

  /** Frames as much of the stream's payload as windows allow; queues it when the connection window is short. */
  sendData(stream: H2Stream): void {
    if (stream.outbound !== undefined) {
      this.sendQueued(stream, stream.outbound);
      return;
    }
    const payload = stream.template.payload;
    for (;;) {
      const left = payload.length - stream.sentBytes;
      if (left === 0 || stream.isFinished) return;
      const bytes = Math.min(left, this.maxFrameBytes, stream.sendWindow, this.connWindow);
      if (bytes <= 0) {
        this.waitForWindow(stream);
        return;
      }
      const offset = this.out.alloc(FRAME_HEADER_BYTES);
      putFrameHeader(
        this.out.slab,
        offset,
        bytes,
        FrameType.DATA,
        bytes === left ? FrameFlag.END_STREAM : 0,
        stream.id,
      );
      this.out.append(payload, stream.sentBytes, stream.sentBytes + bytes);
      stream.sentBytes += bytes;
      stream.sendWindow -= bytes;
      this.connWindow -= bytes;
      this.requestFlush();
    }
  }

  /**
   * A bidirectional stream's next gRPC message (`head` ‖ `tail[0, tailLength)`), framed straight
   * into the output slab when the stream is open, has nothing queued and the message fits one
   * frame and both windows: no copy but the one into the slab. False when it must be queued.
   */
  sendMessage(stream: H2Stream, head: Uint8Array, tail: Buffer, tailLength: number): boolean {
    const outbound = stream.outbound;
    const bytes = GRPC_PREFIX_BYTES + head.length + tailLength;
    const fits =
      outbound !== undefined &&
      outbound.queuedBytes === 0 &&
      !outbound.isEndQueued &&
      stream.id !== 0 &&
      !stream.isFinished &&
      this.dataQueue.length === 0 &&
      bytes <= this.maxFrameBytes &&
      bytes <= stream.sendWindow &&
      bytes <= this.connWindow;
    if (!fits) return false;
    const offset = this.out.alloc(FRAME_HEADER_BYTES + bytes);
    const slab = this.out.slab;
    putFrameHeader(slab, offset, bytes, FrameType.DATA, 0, stream.id);
    const message = offset + FRAME_HEADER_BYTES;
    slab[message] = 0;
    slab.writeUInt32BE(head.length + tailLength, message + 1);
    slab.set(head, message + GRPC_PREFIX_BYTES);
    tail.copy(slab, message + GRPC_PREFIX_BYTES + head.length, 0, tailLength);
    stream.sendWindow -= bytes;
    this.connWindow -= bytes;
    this.requestFlush();
    return true;
  }

  /** sendData for a bidirectional stream: its queued messages, then END_STREAM once half-closed. */
  private sendQueued(stream: H2Stream, outbound: OutboundQueue): void {
    while (!stream.isFinished && stream.id !== 0) {
      if (outbound.queuedBytes === 0) {
        // Half-close with nothing left to send: an empty DATA frame needs no window.
        if (outbound.isEndQueued && !outbound.isEndSent) {
          outbound.isEndSent = true;
          putFrameHeader(
            this.out.slab,
            this.out.alloc(FRAME_HEADER_BYTES),
            0,
            FrameType.DATA,
            FrameFlag.END_STREAM,
            stream.id,
          );
          this.requestFlush();
        }
        return;
      }
      const bytes = Math.min(outbound.queuedBytes, this.maxFrameBytes, stream.sendWindow, this.connWindow);
      if (bytes <= 0) {
        this.waitForWindow(stream);
        return;
      }
      const isLast = bytes === outbound.queuedBytes && outbound.isEndQueued;
      putFrameHeader(
        this.out.slab,
        this.out.alloc(FRAME_HEADER_BYTES),
        bytes,
        FrameType.DATA,
        isLast ? FrameFlag.END_STREAM : 0,
        stream.id,
      );
      outbound.take(this.out, bytes);
      if (isLast) outbound.isEndSent = true;
      stream.sendWindow -= bytes;
      this.connWindow -= bytes;
      this.requestFlush();
    }
  }

  /** Blocked on its own window: WINDOW_UPDATE for the stream resumes it; else wait in line for the connection's. */
  private waitForWindow(stream: H2Stream): void {
    if (stream.sendWindow > 0 && !stream.isQueuedForData) {
      stream.isQueuedForData = true;
      this.dataQueue.push(stream);
    }
  }

  /** Number of open plus queued streams. */
  get load(): number {
    return this.active.size + this.pending.length;
  }

  private canOpen(): boolean {
    return this.isOpen && !this.isDraining && this.active.size < this.maxConcurrent && !this.isExhausted;
  }

  private pumpData(): void {
    while (this.connWindow > 0) {
      const stream = this.dataQueue.peek();
      if (stream === undefined) return;
      this.sendData(stream);
      const isBlocked = !stream.isFinished && stream.hasUnsentData && stream.sendWindow > 0;
      if (isBlocked) return;
      stream.isQueuedForData = false;
      this.dataQueue.shift();
    }
  }

  private open(stream: H2Stream): void {
    const id = this.lastStreamId === 0 ? 1 : this.lastStreamId + 2;
    this.lastStreamId = id;
    stream.id = id;
    stream.sendWindow = this.peerInitialWindow;
    this.active.set(id, stream);
    const { wire, payload, dataFrameOffset } = stream.template;
    const fits =
      payload.length <= this.connWindow && payload.length <= stream.sendWindow && this.dataQueue.length === 0;
    if (wire !== null && fits && !this.needsTableSizeUpdate) {
      const offset = this.out.alloc(wire.length);
      const slab = this.out.slab;
      wire.copy(slab, offset);
      putUint31(slab, offset + 5, id);
      putUint31(slab, offset + dataFrameOffset + 5, id);
      stream.sentBytes = payload.length;
      stream.sendWindow -= payload.length;
      this.connWindow -= payload.length;
      this.requestFlush();
      return;
    }
    this.writeHeaders(stream);
    this.sendData(stream);
  }

  /** HEADERS then CONTINUATION frames as needed by the server's max frame size (§6.2, §6.10). */
  private writeHeaders(stream: H2Stream): void {
    let block = stream.template.headerBlock;
    if (this.needsTableSizeUpdate) {
      block = Buffer.concat([Buffer.of(TABLE_SIZE_UPDATE_ZERO), block]);
      this.needsTableSizeUpdate = false;
    }
    let sent = 0;
    let type: number = FrameType.HEADERS;
    do {
      const bytes = Math.min(block.length - sent, this.maxFrameBytes);
      const flags = sent + bytes === block.length ? FrameFlag.END_HEADERS : 0;
      const offset = this.out.alloc(FRAME_HEADER_BYTES);
      putFrameHeader(this.out.slab, offset, bytes, type, flags, stream.id);
      this.out.append(block, sent, sent + bytes);
      sent += bytes;
      type = FrameType.CONTINUATION;
    } while (sent < block.length);
    this.requestFlush();
  }
}
