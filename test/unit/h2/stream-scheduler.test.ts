// The sending side without sockets: frames written to an OutputBuffer are parsed back with the
// FrameReader. Covers the fast path, MAX_CONCURRENT_STREAMS queueing, DATA split by frame size
// and both windows, WINDOW_UPDATE / INITIAL_WINDOW_SIZE resumption (RFC 9113 §6.9),
// HEADERS + CONTINUATION, the HPACK size update after a table-size change, and id exhaustion.
import { describe, expect, it } from 'vitest';
import { StreamScheduler } from '../../../src/triton/h2/stream-scheduler.js';
import { OutputBuffer, type ByteSink } from '../../../src/triton/h2/output-buffer.js';
import { FrameReader, type FrameHandler } from '../../../src/triton/h2/frame-reader.js';
import { H2Stream } from '../../../src/triton/h2/h2-stream.js';
import { RequestEncoder } from '../../../src/triton/h2/request-template.js';
import { FrameFlag } from '../../../src/triton/h2/frames.js';

interface Frame {
  type: string;
  id: number;
  bytes: number;
  flags: number;
  first?: number;
}
const TYPE = [
  'DATA',
  'HEADERS',
  'PRIORITY',
  'RST_STREAM',
  'SETTINGS',
  'PUSH_PROMISE',
  'PING',
  'GOAWAY',
  'WINDOW_UPDATE',
  'CONTINUATION',
];

class Wire implements ByteSink, FrameHandler {
  readonly frames: Frame[] = [];
  private readonly reader = new FrameReader(this, 1 << 24);
  write(chunk: Uint8Array): boolean {
    this.reader.push(Buffer.from(chunk));
    return true;
  }
  cork(): void {
    /* batching is irrelevant here */
  }
  uncork(): void {
    /* batching is irrelevant here */
  }
  onFrame(type: number, flags: number, id: number, payload: Buffer, start: number, end: number): void {
    this.frames.push({ type: TYPE[type] ?? String(type), id, bytes: end - start, flags, first: payload[start] });
  }
  onDataStart(flags: number, id: number, bytes: number): void {
    this.frames.push({ type: 'DATA', id, bytes, flags });
  }
  onData(): void {
    /* counted in onDataStart */
  }
  onDataEnd(): void {
    /* nothing to do */
  }
  take(): Frame[] {
    return this.frames.splice(0);
  }
}

function setup(maxStreamId = 0x7fffffff): { scheduler: StreamScheduler; flush: () => Frame[]; flushes: () => number } {
  const out = new OutputBuffer();
  const wire = new Wire();
  let flushRequests = 0;
  const scheduler = new StreamScheduler(
    out,
    () => {
      flushRequests++;
    },
    maxStreamId,
  );
  return {
    scheduler,
    flush: () => {
      out.flush(wire);
      return wire.take().map(({ first: _first, ...rest }) => rest);
    },
    flushes: () => flushRequests,
  };
}

const encoder = new RequestEncoder({ scheme: 'http', authority: 'h:1', path: '/p', headers: {} });
const small = Uint8Array.of(1, 2, 3);
const streamFor = (request: Uint8Array, target = encoder): H2Stream =>
  new H2Stream(target.templateFor(request, 1000), 1000, Number.POSITIVE_INFINITY, () => undefined);
const headersBytes = encoder.templateFor(small, 1000).headerBlock.length;

describe('StreamScheduler opening streams', () => {
  it('queues until the server SETTINGS, then opens with odd increasing ids on the fast path', () => {
    const { scheduler, flush, flushes } = setup();
    const streams = [streamFor(small), streamFor(small), streamFor(small)];
    for (const s of streams) scheduler.submit(s);
    expect(scheduler.active.size).toBe(0);
    scheduler.isOpen = true;
    scheduler.openPending();
    expect(streams.map((s) => s.id)).toEqual([1, 3, 5]);
    expect(flushes()).toBeGreaterThan(0);
    expect(flush()).toEqual(
      streams.flatMap((s) => [
        { type: 'HEADERS', id: s.id, bytes: headersBytes, flags: FrameFlag.END_HEADERS },
        { type: 'DATA', id: s.id, bytes: 8, flags: FrameFlag.END_STREAM },
      ]),
    );
    expect(scheduler.connWindow).toBe(65_535 - 3 * 8);
    expect(streams.every((s) => s.sendWindow === 65_535 - 8)).toBe(true);
  });

  it('honours MAX_CONCURRENT_STREAMS and opens queued streams as others finish', () => {
    const { scheduler, flush } = setup();
    scheduler.isOpen = true;
    scheduler.maxConcurrent = 2;
    const streams = Array.from({ length: 5 }, () => streamFor(small));
    for (const s of streams) scheduler.submit(s);
    expect(streams.map((s) => s.id)).toEqual([1, 3, 0, 0, 0]);
    flush();
    (streams[3] as H2Stream).isFinished = true; // cancelled while queued: skipped
    scheduler.release(streams[0] as H2Stream);
    expect(streams.map((s) => s.id)).toEqual([1, 3, 5, 0, 0]);
    // The sweep sees every queued stream; only unfinished ones can move to another connection.
    expect(scheduler.pendingStreams()).toEqual([streams[3], streams[4]]);
    expect(scheduler.takePending()).toEqual([streams[4]]);
    expect(scheduler.load).toBe(2);
  });

  it('stops at the last stream id and reports exhaustion', () => {
    const { scheduler } = setup(5);
    scheduler.isOpen = true;
    const streams = Array.from({ length: 4 }, () => streamFor(small));
    for (const s of streams) scheduler.submit(s);
    expect(streams.map((s) => s.id)).toEqual([1, 3, 5, 0]);
    expect(scheduler.isExhausted).toBe(true);
  });

  it('starts the first block after a HEADER_TABLE_SIZE change with a size update to 0', () => {
    const { scheduler, flush } = setup();
    scheduler.isOpen = true;
    scheduler.needsTableSizeUpdate = true;
    scheduler.submit(streamFor(small));
    scheduler.submit(streamFor(small));
    const all = flush();
    expect(all[0]).toEqual({ type: 'HEADERS', id: 1, bytes: headersBytes + 1, flags: FrameFlag.END_HEADERS });
    expect(all[2]).toEqual({ type: 'HEADERS', id: 3, bytes: headersBytes, flags: FrameFlag.END_HEADERS });
  });

  it('splits a large header block into HEADERS and CONTINUATION frames', () => {
    const big = new RequestEncoder({
      scheme: 'http',
      authority: 'h:1',
      path: '/p',
      headers: { 'x-big': 'b'.repeat(40_000) },
    });
    const { scheduler, flush } = setup();
    scheduler.isOpen = true;
    const stream = streamFor(small, big);
    scheduler.submit(stream);
    const frames = flush();
    const block = stream.template.headerBlock.length;
    expect(frames).toEqual([
      { type: 'HEADERS', id: 1, bytes: 16_384, flags: 0 },
      { type: 'CONTINUATION', id: 1, bytes: 16_384, flags: 0 },
      { type: 'CONTINUATION', id: 1, bytes: block - 32_768, flags: FrameFlag.END_HEADERS },
      { type: 'DATA', id: 1, bytes: 8, flags: FrameFlag.END_STREAM },
    ]);
  });
});

describe('StreamScheduler outbound flow control (RFC 9113 §6.9)', () => {
  const large = new Uint8Array(100_000); // payload 100,005 octets

  it('splits DATA by max frame size and both windows, then resumes on WINDOW_UPDATE', () => {
    const { scheduler, flush } = setup();
    scheduler.isOpen = true;
    const stream = streamFor(large);
    scheduler.submit(stream);
    expect(flush().map((f) => [f.type, f.bytes, f.flags])).toEqual([
      ['HEADERS', headersBytes, FrameFlag.END_HEADERS],
      ['DATA', 16_384, 0],
      ['DATA', 16_384, 0],
      ['DATA', 16_384, 0],
      ['DATA', 16_383, 0],
    ]);
    expect([scheduler.connWindow, stream.sendWindow]).toEqual([0, 0]);
    // Connection window alone does not help a stream whose own window is empty.
    scheduler.addConnectionWindow(40_000);
    expect(flush()).toEqual([]);
    stream.sendWindow += 50_000;
    scheduler.sendData(stream);
    expect(flush().map((f) => [f.bytes, f.flags])).toEqual([
      [16_384, 0],
      [16_384, 0],
      [1_702, FrameFlag.END_STREAM],
    ]);
    expect(stream.sentBytes).toBe(100_005);
    expect(scheduler.connWindow).toBe(40_000 - 34_470);
  });

  it('queues streams blocked on the connection window and serves them in order', () => {
    const { scheduler, flush } = setup();
    scheduler.isOpen = true;
    scheduler.setPeerInitialWindow(1 << 20);
    const first = streamFor(large);
    const second = streamFor(large);
    scheduler.submit(first);
    scheduler.submit(second);
    flush();
    expect([first.sentBytes, second.sentBytes]).toEqual([65_535, 0]);
    scheduler.addConnectionWindow(50_000);
    expect([first.sentBytes, second.sentBytes]).toEqual([100_005, 65_535 + 50_000 - 100_005]);
    const frames = flush();
    expect(frames.filter((f) => f.id === 1).at(-1)?.flags).toBe(FrameFlag.END_STREAM);
    // A small stream opened now waits behind the queue instead of taking the fast path.
    const third = streamFor(small);
    scheduler.submit(third);
    expect(third.sentBytes).toBe(0);
    scheduler.addConnectionWindow(200_000);
    expect([second.sentBytes, third.sentBytes]).toEqual([100_005, 8]);
  });

  it('applies INITIAL_WINDOW_SIZE changes to open streams, including negative windows', () => {
    const { scheduler, flush } = setup();
    scheduler.isOpen = true;
    scheduler.addConnectionWindow(1 << 20);
    const stream = streamFor(large);
    scheduler.submit(stream);
    flush();
    expect(stream.sentBytes).toBe(65_535);
    expect(scheduler.setPeerInitialWindow(16_384)).toBe(true);
    expect(stream.sendWindow).toBe(16_384 - 65_535);
    stream.sendWindow += 49_151; // back to 0
    scheduler.sendData(stream);
    expect(flush()).toEqual([]);
    expect(scheduler.setPeerInitialWindow(65_535 + 34_470)).toBe(true);
    expect(stream.sentBytes).toBe(100_005);
    expect(flush().at(-1)).toMatchObject({ type: 'DATA', flags: FrameFlag.END_STREAM });
    // A window already above the initial size (after WINDOW_UPDATEs) can overflow 2^31-1.
    stream.sendWindow = 1 << 30;
    expect(scheduler.setPeerInitialWindow(0x7fffffff)).toBe(false);
  });

  it('uses a larger MAX_FRAME_SIZE from the server', () => {
    const { scheduler, flush } = setup();
    scheduler.isOpen = true;
    scheduler.maxFrameBytes = 40_000;
    scheduler.setPeerInitialWindow(1 << 20);
    scheduler.addConnectionWindow(1 << 20);
    scheduler.submit(streamFor(large));
    expect(
      flush()
        .filter((f) => f.type === 'DATA')
        .map((f) => f.bytes),
    ).toEqual([40_000, 40_000, 20_005]);
  });
});

describe('OutputBuffer', () => {
  it('copies small appends into the slab and references large ones, in order', () => {
    const out = new OutputBuffer();
    const chunks: Buffer[] = [];
    let corks = 0;
    const sink: ByteSink = {
      write: (c) => chunks.push(Buffer.from(c)) > 0,
      cork: () => {
        corks++;
      },
      uncork: () => undefined,
    };
    const big = Buffer.alloc(20_000, 0x62);
    out.append(Buffer.from('aa'), 0, 2);
    out.append(big, 0, big.length);
    out.append(Buffer.from('cc'), 0, 2);
    expect(out.hasPending).toBe(true);
    out.flush(sink);
    expect(corks).toBe(1);
    expect(Buffer.concat(chunks).toString('latin1')).toBe(`aa${'b'.repeat(20_000)}cc`);
    expect(out.hasPending).toBe(false);
    chunks.length = 0;
    out.append(Buffer.from('dd'), 0, 2);
    out.flush(sink);
    expect(chunks.map((c) => c.toString())).toEqual(['dd']);
  });

  it('moves to a new slab when full without disturbing flushed bytes', () => {
    const out = new OutputBuffer();
    const written: Buffer[] = [];
    const sink: ByteSink = {
      write: (c) => written.push(c as Buffer) > 0,
      cork: () => undefined,
      uncork: () => undefined,
    };
    out.append(Buffer.alloc(10_000, 1), 0, 10_000);
    out.flush(sink);
    for (let i = 0; i < 10; i++) out.append(Buffer.alloc(10_000, i + 2), 0, 10_000);
    out.flush(sink);
    expect(written[0]?.every((b) => b === 1)).toBe(true);
    expect(Buffer.concat(written).length).toBe(110_000);
  });
});
