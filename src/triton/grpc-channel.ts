/**
 * What every gRPC channel we open shares: message size limits, credentials and call metadata.
 * Its own file so the control-plane client and the grpc-js hot path both use it without
 * importing each other.
 */
import * as grpc from '@grpc/grpc-js';

/** Channel options shared by every connection we open. */
export const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // Triton's limit is INT32_MAX; grpc-js's default 4 MiB receive limit breaks big batches.
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
};

/** Credentials for a plaintext or TLS channel. */
export function channelCredentials(isTls: boolean): grpc.ChannelCredentials {
  return isTls ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
}

/** Builds the gRPC metadata sent with every call. */
export function buildMetadata(headers: Readonly<Record<string, string>> | undefined): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(headers ?? {})) metadata.set(key, value);
  return metadata;
}

/** The identity (de)serializer of the hot path: request bytes are encoded once, replies read in place. */
export const passBuffer = (bytes: Buffer): Buffer => bytes;

/**
 * `channels` (at least 1) clients of `address`, each on a TCP connection of its own: a local
 * subchannel pool per client, since by default grpc-js shares one connection between identical
 * channels and one HTTP/2 connection would be the bottleneck.
 */
export function openChannelClients(address: string, isTls: boolean, channels: number): grpc.Client[] {
  return Array.from(
    { length: Math.max(1, channels) },
    () =>
      new grpc.Client(address, channelCredentials(isTls), { ...CHANNEL_OPTIONS, 'grpc.use_local_subchannel_pool': 1 }),
  );
}
