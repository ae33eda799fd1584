/**
 * One HTTP/2 client connection carrying gRPC unary calls (RFC 9113; grpc PROTOCOL-HTTP2.md):
 * socket lifecycle, handshake, dispatch of received frames, inbound flow control and the
 * failure of streams when the connection dies. Sending is in StreamScheduler.
 *
 * Frames produced while handling one socket read are flushed once at its end; frames produced
 * elsewhere (a send from another connection's reply, the deadline sweep) are flushed on the
 * next tick, so several requests share one write.
 */
import type * as net from 'node:net';
import type { InferFailure } from '../../load/infer-transport.js';
import {
  describeNonHttp2Peer,
  describeSilentPeer,
  encodeClientPreface,
  openSocket,
  startsWithServerSettings,
  type SocketTarget,
} from './h2-socket.js';
import {
  ErrorCode,
  errorCodeName,
  FRAME_HEADER_BYTES,
  GOAWAY_BYTES,
  H2ProtocolError,
  putGoaway,
  putRstStream,
  RST_STREAM_BYTES,
} from './frames.js';
import { FrameReader } from './frame-reader.js';
import { HpackDecoder, HpackError } from './hpack-decoder.js';
import type { H2Stream, StreamOwner } from './h2-stream.js';
import { OutputBuffer } from './output-buffer.js';
import { StreamScheduler } from './stream-scheduler.js';
import { FrameDispatcher } from './frame-dispatcher.js';

/** Limits that tests shrink; defaults suit production. */
export interface ConnectionTuning {
  /** Our stream and connection receive windows (default 1 GiB); refilled when half used. */
  readonly localWindowBytes: number;
  /** Last stream id before the connection retires (default 2^31-1, RFC 9113 §5.1.1). */
  readonly maxStreamId: number;
  /** How long to wait for the server's SETTINGS after connecting. */
  readonly handshakeTimeoutMs: number;
}

/** What the transport learns from a connection. */
export interface ConnectionHooks {
  /**
   * The connection takes no new streams (GOAWAY, ids used up, failure). `orphans` were
   * queued here but never sent, so they can go to another connection.
   */
  onRetire(conn: H2Connection, orphans: H2Stream[]): void;
  /**
   * The server refused these sent streams without processing them (GOAWAY above
   * last-stream-id, REFUSED_STREAM). They are settled here; the transport re-sends each once
   * or reports `why`.
   */
  onRefused(conn: H2Connection, refused: H2Stream[], why: string): void;
  /** The connection is closed; `connectError` is set when it never completed the handshake. */
  onClosed(conn: H2Connection, connectError: string | undefined): void;
}

type ConnState = 'handshake' | 'open' | 'closed';

/** A client connection; create through the transport. */
export class H2Connection implements StreamOwner {
  readonly scheduler: StreamScheduler;
  readonly out = new OutputBuffer();
  readonly decoder = new HpackDecoder();
  state: ConnState = 'handshake';
  /** False once it takes no new streams. */
  isUsable = true;
  private readonly socket: net.Socket;
  private readonly reader: FrameReader;
  private readonly dispatcher: FrameDispatcher;
  private prefaceBytes: Buffer | undefined = Buffer.alloc(0);
  private isInRead = false;
  private isFlushScheduled = false;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private readyWaiters: ((error: string | undefined) => void)[] = [];
  private closeError: string | undefined;

  constructor(
    readonly target: SocketTarget,
    readonly tuning: ConnectionTuning,
    private readonly hooks: ConnectionHooks,
  ) {
    this.scheduler = new StreamScheduler(this.out, this.requestFlush, tuning.maxStreamId);
    this.dispatcher = new FrameDispatcher(this);
    this.reader = new FrameReader(this.dispatcher, 16_384);
    this.socket = openSocket(target);
    this.socket.on('data', this.onSocketData);
    this.socket.on('error', this.onSocketError);
    this.socket.on('close', this.onSocketClose);
    if (target.isTls) this.socket.once('secureConnect', this.onSecureConnect);
    this.socket.write(encodeClientPreface(tuning.localWindowBytes));
    this.handshakeTimer = setTimeout(this.onHandshakeTimeout, tuning.handshakeTimeoutMs);
    this.handshakeTimer.unref();
  }

  /** True once closed (failed, closed by us, or ended after retiring). */
  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** `host:port` for messages. */
  get address(): string {
    return this.target.address;
  }

  /** Resolves undefined once open, or the failure message; never rejects. */
  whenReady(): Promise<string | undefined> {
    if (this.state === 'open') return Promise.resolve(undefined);
    if (this.state === 'closed') return Promise.resolve(this.closeError ?? `connection to ${this.address} closed`);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Queues or opens the stream; `done` is always called later. */
  submit(stream: H2Stream): void {
    stream.owner = this;
    this.scheduler.submit(stream);
    if (this.scheduler.isExhausted && this.isUsable) this.retire();
  }

  /** StreamOwner: a bidirectional stream's message, framed now when nothing waits. */
  sendMessage(stream: H2Stream, head: Uint8Array, tail: Buffer, tailLength: number): boolean {
    return this.state === 'open' && this.scheduler.sendMessage(stream, head, tail, tailLength);
  }

  /** StreamOwner: a bidirectional stream queued bytes (or its half-close). */
  pushData(stream: H2Stream): void {
    if (this.state === 'open' && stream.id !== 0 && !stream.isFinished) this.scheduler.sendData(stream);
  }

  /** StreamOwner: the caller cancelled. */
  cancelStream(stream: H2Stream): void {
    this.finish(stream, { status: 'CANCELLED', message: 'cancelled by the client' }, ErrorCode.CANCEL, true);
  }

  /**
   * Ends a stream exactly once: forgets it, optionally resets it, lets a queued stream open,
   * then calls `done` (on the next tick when `isDeferred`, i.e. inside a caller's call).
   */
  finish(stream: H2Stream, failure: InferFailure | null, rstCode: number, isDeferred: boolean): void {
    if (!this.settle(stream, rstCode)) return;
    if (isDeferred) process.nextTick(stream.done, failure);
    else stream.done(failure);
  }

  /**
   * Ends several streams with one failure. All are settled before any callback runs, so a
   * callback that cancels the others (the closed loop stopping) cannot change their status.
   */
  finishAll(streams: readonly H2Stream[], failure: InferFailure, rstCode: number, isDeferred: boolean): void {
    const settled = streams.filter((stream) => this.settle(stream, rstCode));
    for (const stream of settled) {
      if (isDeferred) process.nextTick(stream.done, failure);
      else stream.done(failure);
    }
  }

  /**
   * Streams the server refused unprocessed: released here without `done`, then handed to the
   * transport, which re-sends each once (a call is retried at most once, so a server that
   * refuses everything cannot make us loop).
   */
  refuse(streams: readonly H2Stream[], why: string): void {
    const settled = streams.filter((stream) => this.settle(stream, -1));
    if (settled.length > 0) this.hooks.onRefused(this, settled, why);
  }

  /** Marks the stream finished and releases it; false if it already was. */
  private settle(stream: H2Stream, rstCode: number): boolean {
    if (stream.isFinished) return false;
    stream.isFinished = true;
    if (stream.id !== 0 && this.state !== 'closed') {
      if (rstCode >= 0) {
        putRstStream(this.out.slab, this.out.alloc(RST_STREAM_BYTES), stream.id, rstCode);
        this.requestFlush();
      }
      this.scheduler.release(stream);
      if (!this.isUsable && this.scheduler.active.size === 0) this.endGracefully();
    }
    return true;
  }

  /** Fails streams whose deadline passed (RFC: a deadline is a client cancellation → CANCEL). */
  sweep(nowMs: number): void {
    let overdue: H2Stream[] | undefined;
    for (const stream of this.scheduler.active.values()) {
      if (stream.deadlineMs <= nowMs) (overdue ??= []).push(stream);
    }
    for (const stream of this.scheduler.pendingStreams()) {
      if (stream.deadlineMs <= nowMs && !stream.isFinished) (overdue ??= []).push(stream);
    }
    if (overdue === undefined) return;
    // Settle all before any callback, as in finishAll.
    const settled = overdue.filter((stream) => this.settle(stream, ErrorCode.CANCEL));
    for (const stream of settled) {
      stream.done({
        status: 'DEADLINE_EXCEEDED',
        message: `deadline of ${stream.timeoutMs} ms exceeded waiting for ${this.address}`,
      });
    }
  }

  /** Takes no new streams; the queued ones go back to the transport. */
  retire(): void {
    if (!this.isUsable) return;
    this.isUsable = false;
    this.scheduler.isDraining = true;
    this.hooks.onRetire(this, this.state === 'closed' ? [] : this.scheduler.takePending());
    if (this.scheduler.active.size === 0 && this.state === 'open') this.endGracefully();
  }

  /** Closes now (GOAWAY NO_ERROR); every stream still here gets CANCELLED on the next tick. */
  close(): void {
    this.fail(ErrorCode.NO_ERROR, 'CANCELLED', 'transport closed by the client', true);
  }

  /** Marks the handshake done (first SETTINGS from the server). */
  markOpen(): void {
    if (this.state !== 'handshake') return;
    this.state = 'open';
    clearTimeout(this.handshakeTimer);
    this.scheduler.isOpen = true;
    this.scheduler.openPending();
    this.settleWaiters(undefined);
    // Retired before the handshake completed (no stream can be open): nothing left to do.
    if (!this.isUsable) this.endGracefully();
  }

  /**
   * Fails the connection: GOAWAY with `code` when >= 0, socket destroyed, every stream failed
   * with `status`. Hooks run first so callbacks resend on a fresh connection.
   */
  fail(code: number, status: string, message: string, isDeferred: boolean): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.closeError = message;
    this.reader.stop();
    clearTimeout(this.handshakeTimer);
    this.out.clear();
    this.destroySocket(code);
    const streams = [...this.scheduler.active.values(), ...this.scheduler.takePending()];
    this.scheduler.active.clear();
    this.isUsable = false;
    this.scheduler.isDraining = true;
    this.hooks.onClosed(this, wasOpen ? undefined : message);
    this.settleWaiters(message);
    this.finishAll(streams, { status, message }, -1, isDeferred);
  }

  /** Asks for a flush: at the end of the current read, or on the next tick. */
  readonly requestFlush = (): void => {
    if (this.isInRead || this.isFlushScheduled) return;
    this.isFlushScheduled = true;
    process.nextTick(this.flushTick);
  };

  private readonly flushTick = (): void => {
    this.isFlushScheduled = false;
    if (this.state !== 'closed' && this.out.hasPending) this.out.flush(this.socket);
  };

  private readonly onSocketData = (chunk: Buffer): void => {
    if (this.state === 'closed') return;
    this.isInRead = true;
    try {
      const frames = this.prefaceBytes === undefined ? chunk : this.checkPreface(chunk);
      if (frames !== undefined) this.reader.push(frames);
    } catch (err: unknown) {
      this.failOnProtocolError(err);
    } finally {
      this.isInRead = false;
    }
    if (!this.isClosed && this.out.hasPending) this.out.flush(this.socket);
  };

  /** Until 9 bytes arrived, checks that the server starts with SETTINGS (§3.4) rather than HTTP/1. */
  private checkPreface(chunk: Buffer): Buffer | undefined {
    const seen =
      this.prefaceBytes === undefined || this.prefaceBytes.length === 0
        ? chunk
        : Buffer.concat([this.prefaceBytes, chunk]);
    if (seen.length < FRAME_HEADER_BYTES) {
      this.prefaceBytes = seen;
      return undefined;
    }
    this.prefaceBytes = undefined;
    if (!startsWithServerSettings(seen)) {
      this.fail(ErrorCode.PROTOCOL_ERROR, 'UNAVAILABLE', describeNonHttp2Peer(this.address, seen), false);
      return undefined;
    }
    return seen;
  }

  private failOnProtocolError(err: unknown): void {
    if (err instanceof H2ProtocolError) {
      this.fail(
        err.code,
        'UNAVAILABLE',
        `HTTP/2 ${errorCodeName(err.code)} from ${this.address}: ${err.message}`,
        false,
      );
    } else if (err instanceof HpackError) {
      this.fail(
        ErrorCode.COMPRESSION_ERROR,
        'UNAVAILABLE',
        `HPACK COMPRESSION_ERROR from ${this.address}: ${err.message}`,
        false,
      );
    } else {
      throw err;
    }
  }

  private readonly onSecureConnect = (): void => {
    const socket = this.socket as net.Socket & { alpnProtocol?: string | false };
    if (socket.alpnProtocol !== 'h2') {
      const got =
        socket.alpnProtocol === false || socket.alpnProtocol === undefined ? 'none' : `'${socket.alpnProtocol}'`;
      this.fail(
        -1,
        'UNAVAILABLE',
        `${this.address} did not negotiate HTTP/2 over TLS (ALPN: ${got}); gRPC needs 'h2'`,
        false,
      );
    }
  };

  private readonly onSocketError = (err: Error): void => {
    // OpenSSL messages span lines; Node's connect errors already name host and port.
    const text = err.message.replace(/\s+/g, ' ').trim();
    let message = `connection to ${this.address} lost: ${text}`;
    if (this.state === 'handshake')
      message = text.includes(this.target.host) ? text : `connecting to ${this.address} failed: ${text}`;
    this.fail(-1, 'UNAVAILABLE', message, false);
  };

  private readonly onSocketClose = (): void => {
    if (this.state === 'closed') return;
    const early = this.prefaceBytes !== undefined && this.prefaceBytes.length > 0 ? this.prefaceBytes : undefined;
    let message = `connection to ${this.address} closed by the server`;
    if (early !== undefined) message = describeNonHttp2Peer(this.address, early);
    else if (this.state === 'handshake') message = describeSilentPeer(this.address, 'closed the connection');
    this.fail(-1, 'UNAVAILABLE', message, false);
  };

  private readonly onHandshakeTimeout = (): void => {
    const ms = this.tuning.handshakeTimeoutMs;
    this.fail(ErrorCode.NO_ERROR, 'UNAVAILABLE', describeSilentPeer(this.address, `sent nothing for ${ms} ms`), false);
  };

  /**
   * Best-effort GOAWAY, then an immediate destroy: bytes already handed to the kernel still go
   * out, and waiting for a flush could keep the socket open for as long as a stalled peer
   * leaves our DATA unread. Last-stream-id is 0: the server opened no streams (§6.8).
   */
  private destroySocket(goawayCode: number): void {
    const socket = this.socket;
    if (socket.destroyed) return;
    if (goawayCode >= 0 && !socket.connecting) {
      const goaway = Buffer.alloc(GOAWAY_BYTES);
      putGoaway(goaway, 0, 0, goawayCode);
      socket.write(goaway);
    }
    socket.destroy();
  }

  /** Retired and idle: flush what is pending (RST_STREAMs, ACKs), say GOAWAY, close. */
  private endGracefully(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.reader.stop();
    clearTimeout(this.handshakeTimer);
    if (this.out.hasPending) this.out.flush(this.socket);
    this.destroySocket(ErrorCode.NO_ERROR);
    this.hooks.onClosed(this, undefined);
  }

  private settleWaiters(error: string | undefined): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const resolve of waiters) resolve(error);
  }
}
