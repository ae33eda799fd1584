/**
 * Applying a SETTINGS frame from the server (RFC 9113 §6.5) to one connection, then
 * acknowledging it. The first SETTINGS completes the handshake (§3.4).
 */
import type { H2Connection } from './h2-connection.js';
import {
  ErrorCode, FRAME_HEADER_BYTES, FrameFlag, FrameType, H2ProtocolError, MAX_ALLOWED_FRAME_BYTES, DEFAULT_MAX_FRAME_BYTES,
  MAX_WINDOW_BYTES, putFrameHeader, readUint32, SettingId,
} from './frames.js';

/** Validates and applies one SETTINGS frame; throws H2ProtocolError on invalid values (§6.5.2). */
export function applySettings(conn: H2Connection, flags: number, streamId: number, payload: Buffer, start: number, end: number): void {
  if (streamId !== 0) throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, 'SETTINGS on a stream');
  if ((flags & FrameFlag.ACK) !== 0) {
    if (end !== start) throw new H2ProtocolError(ErrorCode.FRAME_SIZE_ERROR, 'SETTINGS ACK with a payload');
    return;
  }
  if ((end - start) % 6 !== 0) throw new H2ProtocolError(ErrorCode.FRAME_SIZE_ERROR, `SETTINGS of ${end - start} octets`);
  const scheduler = conn.scheduler;
  for (let i = start; i < end; i += 6) {
    const id = payload.readUInt16BE(i);
    const value = readUint32(payload, i + 2);
    switch (id) {
      case SettingId.HEADER_TABLE_SIZE:
        // Our encoder never indexes, but HPACK still requires a size update after a change (§4.2).
        if (value !== scheduler.peerHeaderTableSize) scheduler.needsTableSizeUpdate = true;
        scheduler.peerHeaderTableSize = value;
        break;
      case SettingId.ENABLE_PUSH:
        if (value > 1) throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, `ENABLE_PUSH ${value}`);
        break;
      case SettingId.MAX_CONCURRENT_STREAMS:
        scheduler.maxConcurrent = value;
        break;
      case SettingId.INITIAL_WINDOW_SIZE:
        if (value > MAX_WINDOW_BYTES || !scheduler.setPeerInitialWindow(value)) {
          throw new H2ProtocolError(ErrorCode.FLOW_CONTROL_ERROR, `INITIAL_WINDOW_SIZE ${value} overflows a window`);
        }
        break;
      case SettingId.MAX_FRAME_SIZE:
        if (value < DEFAULT_MAX_FRAME_BYTES || value > MAX_ALLOWED_FRAME_BYTES) {
          throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, `MAX_FRAME_SIZE ${value}`);
        }
        scheduler.maxFrameBytes = value;
        break;
      default:
        // Unknown settings must be ignored (§6.5.2); MAX_HEADER_LIST_SIZE is advisory.
        break;
    }
  }
  putFrameHeader(conn.out.slab, conn.out.alloc(FRAME_HEADER_BYTES), 0, FrameType.SETTINGS, FrameFlag.ACK, 0);
  conn.requestFlush();
  if (conn.state === 'handshake') conn.markOpen();
  else scheduler.openPending();
}
