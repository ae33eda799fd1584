/**
 * The load generator's hot path as a minimal gRPC-over-HTTP/2 client written on `net`/`tls`
 * (replaces `../grpc-infer-transport.ts` where client CPU matters, docs/architecture.md#measurement): per request it
 * copies pre-built frames, patches two stream ids and allocates one H2Stream; no per-request
 * timer (one periodic deadline sweep) and no per-request closure.
 */
import type { InferDone, InferFailure, InferTransport, InflightRequest } from '../../load/infer-transport.js';
import type { InferStream, StreamHandlers, StreamTransport } from '../../load/stream-transport.js';
import { TritonError } from '../triton-error.js';
import { H2Connection, type ConnectionHooks, type ConnectionTuning } from './h2-connection.js';
import { parseAddress, type SocketTarget } from './h2-socket.js';
import { H2BidiStream } from './h2-bidi-stream.js';
import { H2Stream } from './h2-stream.js';
import { checkMetadata, RequestEncoder } from './request-template.js';

/** Options of `createH2InferTransport`. */
export interface H2InferTransportOptions {
  /** `host:port`, or `[v6]:port`. */
  readonly address: string;
  /** TLS with ALPN `h2` and the system CAs (SNI = host). */
  readonly isTls: boolean;
  /** Trusted CA certificates (PEM) for TLS instead of the system's. */
  readonly ca?: string;
  /** Extra gRPC metadata on every request (secrets: never logged or echoed in errors). */
  readonly headers: Readonly<Record<string, string>>;
  /** Separate connections, used round-robin; >= 1. */
  readonly connections: number;
  /** Method path; default ModelInfer of `inference.GRPCInferenceService`. */
  readonly path?: string;
  /** Method path of `openStream`; default ModelStreamInfer of `inference.GRPCInferenceService`. */
  readonly streamPath?: string;
  /**
   * Told once when more calls are in flight than the server's SETTINGS_MAX_CONCURRENT_STREAMS
   * allows on the connections asked for, before the transport opens extra connections.
   */
  readonly onWarning?: (message: string) => void;
}

/** Knobs for tests; production uses the defaults. */
export interface H2Tuning extends Partial<ConnectionTuning> {
  /** After a failed connect, sends on that connection slot fail at once for this long. */
  readonly reconnectBackoffMs?: number;
}

/** The transport (unary calls and streams on the same connections) plus its lifecycle. */
export type H2InferTransport = InferTransport &
  StreamTransport & {
    /** Cancels everything in flight (CANCELLED) and closes every connection; idempotent. */
    close(): void;
    /** Connects every slot; rejects with TritonError(UNAVAILABLE) if any handshake fails. */
    ready(): Promise<void>;
    /** Calls re-sent so far because the server refused them unprocessed (monotonic). */
    retriedRequests(): number;
  };

const DEFAULT_PATH = '/inference.GRPCInferenceService/ModelInfer';
const DEFAULT_STREAM_PATH = '/inference.GRPCInferenceService/ModelStreamInfer';
const DEFAULT_TUNING: ConnectionTuning = {
  localWindowBytes: 1 << 30,
  maxStreamId: 0x7fffffff,
  handshakeTimeoutMs: 10_000,
};
const DEFAULT_RECONNECT_BACKOFF_MS = 1_000;
const MIN_SWEEP_MS = 5;
const MAX_SWEEP_MS = 1_000;
const NOTHING_TO_CANCEL: InflightRequest = { cancel: () => undefined };
/** Extra connections opened for a server's stream limit stop here (each is a server thread's worth of work). */
const MAX_CONNECTIONS = 64;

/** Creates the transport; connections open lazily (or on `ready()`). `close()` it in `finally`. */
export function createH2InferTransport(options: H2InferTransportOptions, tuning: H2Tuning = {}): H2InferTransport {
  return new H2Transport(options, tuning);
}

class H2Transport implements H2InferTransport, ConnectionHooks {
  private readonly target: SocketTarget;
  private readonly tuning: ConnectionTuning;
  private readonly backoffMs: number;
  private readonly encoder: RequestEncoder;
  private readonly streamEncoder: RequestEncoder;
  private readonly slots: (H2Connection | undefined)[];
  private readonly backoffUntilMs: number[];
  private readonly connectErrors: string[];
  /** Every connection not yet closed, including retired ones still finishing streams. */
  private readonly live = new Set<H2Connection>();
  private readonly onWarning: ((message: string) => void) | undefined;
  private next = 0;
  private retried = 0;
  private hasWarnedOfLimit = false;
  /** The server's SETTINGS_MAX_CONCURRENT_STREAMS as last seen, assumed for connections still in their handshake. */
  private knownLimit = Number.POSITIVE_INFINITY;
  private isClosed = false;
  private minTimeoutMs = Number.POSITIVE_INFINITY;
  private sweepIntervalMs = Number.POSITIVE_INFINITY;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: H2InferTransportOptions, tuning: H2Tuning) {
    if (!Number.isInteger(options.connections) || options.connections < 1) {
      throw new Error(`H2 transport 'connections': got ${options.connections}, expected an integer >= 1`);
    }
    const path = options.path ?? DEFAULT_PATH;
    const streamPath = options.streamPath ?? DEFAULT_STREAM_PATH;
    for (const [name, value] of [
      ['path', path],
      ['streamPath', streamPath],
    ] as const) {
      if (!value.startsWith('/'))
        throw new Error(`H2 transport '${name}': got '${value}', expected it to start with '/'`);
    }
    checkMetadata(options.headers);
    this.target = {
      ...parseAddress(options.address),
      address: options.address,
      isTls: options.isTls,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    };
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    this.backoffMs = tuning.reconnectBackoffMs ?? DEFAULT_RECONNECT_BACKOFF_MS;
    const target = {
      scheme: options.isTls ? 'https' : 'http',
      authority: options.address,
      headers: options.headers,
    } as const;
    this.encoder = new RequestEncoder({ ...target, path });
    this.streamEncoder = new RequestEncoder({ ...target, path: streamPath });
    this.slots = new Array<H2Connection | undefined>(options.connections).fill(undefined);
    this.backoffUntilMs = new Array<number>(options.connections).fill(0);
    this.connectErrors = new Array<string>(options.connections).fill('');
    this.onWarning = options.onWarning;
  }

  send(request: Uint8Array, timeoutMs: number, done: InferDone): InflightRequest {
    if (!(timeoutMs > 0))
      return failLater(done, { status: 'DEADLINE_EXCEEDED', message: `deadline of ${timeoutMs} ms already passed` });
    if (this.isClosed) return failLater(done, { status: 'CANCELLED', message: 'transport closed by the client' });
    const nowMs = performance.now();
    const picked = this.pick(nowMs);
    if (typeof picked === 'string') return failLater(done, { status: 'UNAVAILABLE', message: picked });
    const conn = this.hasRoom(picked) ? picked : this.roomyConnection();
    const stream = new H2Stream(this.encoder.templateFor(request, timeoutMs), timeoutMs, nowMs + timeoutMs, done);
    conn.submit(stream);
    if (timeoutMs < this.minTimeoutMs) this.armSweep(timeoutMs);
    return stream;
  }

  /** StreamTransport: a ModelStreamInfer call on the next connection (round-robin, as `send`). */
  openStream(handlers: StreamHandlers): InferStream {
    const stream = new H2BidiStream(this.streamEncoder.streamTemplate(), handlers);
    if (this.isClosed) {
      stream.failLater({ status: 'CANCELLED', message: 'transport closed by the client' });
      return stream;
    }
    const picked = this.pick(performance.now());
    if (typeof picked === 'string') {
      stream.failLater({ status: 'UNAVAILABLE', message: picked });
      return stream;
    }
    (this.hasRoom(picked) ? picked : this.roomyConnection()).submit(stream);
    return stream;
  }

  async ready(): Promise<void> {
    if (this.isClosed)
      throw new TritonError('ModelInfer', this.target.address, 'CANCELLED', 'transport closed by the client');
    const waits: Promise<string | undefined>[] = [];
    for (let i = 0; i < this.slots.length; i++) {
      const conn = this.slots[i];
      waits.push((conn?.isUsable === true ? conn : this.connect(i)).whenReady());
    }
    const failure = (await Promise.all(waits)).find((error) => error !== undefined);
    if (failure !== undefined) throw new TritonError('ModelInfer', this.target.address, 'UNAVAILABLE', failure);
  }

  retriedRequests(): number {
    return this.retried;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const conn of [...this.live]) conn.close();
    this.live.clear();
    this.slots.fill(undefined);
  }

  /** ConnectionHooks: new sends go elsewhere; never-sent streams are resubmitted. */
  onRetire(conn: H2Connection, orphans: H2Stream[]): void {
    const index = this.slots.indexOf(conn);
    if (index >= 0) this.slots[index] = undefined;
    for (const stream of orphans) {
      // One move only: a server that refuses every new connection must not make us loop.
      const next = this.isClosed || stream.moves > 0 ? undefined : this.pick(performance.now());
      stream.moves++;
      if (next instanceof H2Connection) {
        next.submit(stream);
        continue;
      }
      stream.isFinished = true;
      const message = this.isClosed
        ? 'transport closed by the client'
        : (next ??
          `${conn.address}: request never sent, two connections in a row stopped taking new streams (GOAWAY or stream ids used up)`);
      setImmediate(stream.done, { status: this.isClosed ? 'CANCELLED' : 'UNAVAILABLE', message });
    }
  }

  /** ConnectionHooks: each refused call is re-sent once, on the next slot's (fresh) connection. */
  onRefused(_conn: H2Connection, refused: H2Stream[], why: string): void {
    for (const stream of refused) {
      // A stream is not re-sent: its sent messages are gone from its queue.
      const isOnce = stream.retries > 0 || stream.outbound !== undefined;
      const next = this.isClosed || isOnce ? undefined : this.pick(performance.now());
      if (next instanceof H2Connection) {
        this.retried++;
        next.submit(stream.forRetry());
        continue;
      }
      const message = this.isClosed
        ? 'transport closed by the client'
        : (next ?? (stream.outbound === undefined ? `${why} (after one retry on a fresh connection)` : why));
      setImmediate(stream.done, { status: this.isClosed ? 'CANCELLED' : 'UNAVAILABLE', message });
    }
  }

  /** ConnectionHooks: forget the connection; a failed connect starts this slot's backoff. */
  onClosed(conn: H2Connection, connectError: string | undefined): void {
    this.live.delete(conn);
    const index = this.slots.indexOf(conn);
    if (index < 0) return;
    this.slots[index] = undefined;
    if (connectError !== undefined && !this.isClosed) {
      this.backoffUntilMs[index] = performance.now() + this.backoffMs;
      this.connectErrors[index] = connectError;
    }
  }

  /** Next slot round-robin: its connection, a new one, or the last connect error while backing off. */
  private pick(nowMs: number): H2Connection | string {
    const index = this.next;
    this.next = index + 1 === this.slots.length ? 0 : index + 1;
    const conn = this.slots[index];
    if (conn?.isUsable === true) return conn;
    // Do not reconnect in a loop: a slot whose connect failed refuses sends for a while.
    if (nowMs < (this.backoffUntilMs[index] as number)) return this.connectErrors[index] as string;
    return this.connect(index);
  }

  /**
   * False when the connection is at the server's SETTINGS_MAX_CONCURRENT_STREAMS. A limit of 0
   * is the server pausing new streams, not a size to spread over more connections: calls wait
   * until it raises the limit.
   */
  private hasRoom(conn: H2Connection): boolean {
    const scheduler = conn.scheduler;
    if (conn.state !== 'open') return scheduler.load < this.knownLimit;
    const limit = scheduler.maxConcurrent;
    if (limit === 0) return true;
    if (limit !== Number.POSITIVE_INFINITY) this.knownLimit = limit;
    return scheduler.load < limit;
  }

  /**
   * Every connection is at the server's stream limit: use one with room, or open one more
   * (with a warning, once) rather than queue calls in the client, which would measure our
   * queue instead of the server.
   */
  private roomyConnection(): H2Connection {
    let fallback: H2Connection | undefined;
    for (const conn of this.slots) {
      if (conn?.isUsable !== true) continue;
      if (this.hasRoom(conn)) return conn;
      fallback ??= conn;
    }
    if (this.slots.length >= MAX_CONNECTIONS && fallback !== undefined) return fallback;
    if (!this.hasWarnedOfLimit) {
      this.hasWarnedOfLimit = true;
      this.onWarning?.(
        `${this.target.address} allows ${this.knownLimit} concurrent streams per connection ` +
          `(SETTINGS_MAX_CONCURRENT_STREAMS) and more users than that are in flight: opening extra connections ` +
          `(up to ${MAX_CONNECTIONS}) so calls do not wait in the client`,
      );
    }
    this.backoffUntilMs.push(0);
    this.connectErrors.push('');
    this.slots.push(undefined);
    return this.connect(this.slots.length - 1);
  }

  private connect(index: number): H2Connection {
    const conn = new H2Connection(this.target, this.tuning, this);
    this.slots[index] = conn;
    this.live.add(conn);
    return conn;
  }

  /** One unref'd interval for all deadlines, at ~1/10 of the shortest timeout seen. */
  private armSweep(timeoutMs: number): void {
    this.minTimeoutMs = timeoutMs;
    const intervalMs = Math.min(MAX_SWEEP_MS, Math.max(MIN_SWEEP_MS, Math.ceil(timeoutMs / 10)));
    // Slowly shrinking timeouts (a caller passing the time left) must not re-create the timer per request.
    if (intervalMs >= this.sweepIntervalMs) return;
    this.sweepIntervalMs = intervalMs;
    clearInterval(this.sweepTimer);
    this.sweepTimer = setInterval(this.sweep, intervalMs);
    this.sweepTimer.unref();
  }

  private readonly sweep = (): void => {
    const nowMs = performance.now();
    for (const conn of this.live) conn.sweep(nowMs);
  };
}

/** Reports `failure` on a later turn of the event loop (never inside `send`, and I/O can run first). */
function failLater(done: InferDone, failure: InferFailure): InflightRequest {
  setImmediate(done, failure);
  return NOTHING_TO_CANCEL;
}
