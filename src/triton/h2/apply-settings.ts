/**
 * Validating a SETTINGS frame from the server (RFC 9113 §6.5) and handing each parameter to
 * the side that owns it. The caller acknowledges the frame; the first SETTINGS completes the
 * handshake (§3.4).
 */
import {
  ErrorCode,
  FrameFlag,
  H2ProtocolError,
  MAX_ALLOWED_FRAME_BYTES,
  DEFAULT_MAX_FRAME_BYTES,
  MAX_WINDOW_BYTES,
  readUint32,
  SettingId,
} from './frames.js';

/** Whoever keeps the server's limits (the stream scheduler); it writes only its own fields. */
export interface SettingsTarget {
  /**
   * Applies one validated parameter; returns false when a new INITIAL_WINDOW_SIZE overflows
   * an open stream's window (§6.9.2). Unknown ids are ignored.
   */
  applyPeerSetting(id: number, value: number): boolean;
}

/**
 * Validates one SETTINGS frame and applies its parameters in order; throws H2ProtocolError on
 * invalid values (§6.5.2). Returns true when the frame must be acknowledged (not an ACK).
 */
export function applySettings(
  target: SettingsTarget,
  flags: number,
  streamId: number,
  payload: Buffer,
  start: number,
  end: number,
): boolean {
  if (streamId !== 0) throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, 'SETTINGS on a stream');
  if ((flags & FrameFlag.ACK) !== 0) {
    if (end !== start) throw new H2ProtocolError(ErrorCode.FRAME_SIZE_ERROR, 'SETTINGS ACK with a payload');
    return false;
  }
  if ((end - start) % 6 !== 0)
    throw new H2ProtocolError(ErrorCode.FRAME_SIZE_ERROR, `SETTINGS of ${end - start} octets`);
  for (let i = start; i < end; i += 6) {
    const id = payload.readUInt16BE(i);
    const value = readUint32(payload, i + 2);
    checkSetting(id, value);
    if (!target.applyPeerSetting(id, value)) {
      throw new H2ProtocolError(ErrorCode.FLOW_CONTROL_ERROR, `INITIAL_WINDOW_SIZE ${value} overflows a window`);
    }
  }
  return true;
}

/** Throws on a value the parameter may not take (§6.5.2); unknown parameters pass. */
function checkSetting(id: number, value: number): void {
  switch (id) {
    case SettingId.ENABLE_PUSH:
      if (value > 1) throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, `ENABLE_PUSH ${value}`);
      break;
    case SettingId.INITIAL_WINDOW_SIZE:
      if (value > MAX_WINDOW_BYTES)
        throw new H2ProtocolError(ErrorCode.FLOW_CONTROL_ERROR, `INITIAL_WINDOW_SIZE ${value} overflows a window`);
      break;
    case SettingId.MAX_FRAME_SIZE:
      if (value < DEFAULT_MAX_FRAME_BYTES || value > MAX_ALLOWED_FRAME_BYTES) {
        throw new H2ProtocolError(ErrorCode.PROTOCOL_ERROR, `MAX_FRAME_SIZE ${value}`);
      }
      break;
    default:
      // Unknown settings must be ignored (§6.5.2); MAX_HEADER_LIST_SIZE is advisory.
      break;
  }
}
