/**
 * Typed client for Triton's KServe v2 gRPC API (`inference.GRPCInferenceService`) over
 * @grpc/grpc-js, with messages from our own protos (protobuf-es, statically generated).
 * Every call has a deadline; failures become TritonError with a hint for the next step.
 */
import {
  create,
  fromBinary,
  toBinary,
  type DescMessage,
  type MessageInitShape,
  type MessageShape,
} from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import {
  GRPCInferenceService,
  type ModelInferResponse,
  type ModelMetadataResponse,
  type ModelStatistics,
  type RepositoryIndexResponse_ModelIndex,
  type ServerMetadataResponse,
} from '../gen/grpc_service_pb.js';
import type { ModelConfig } from '../gen/model_config_pb.js';
import { describeGrpcError } from './describe-grpc-error.js';
import { fileOverrideParameters, type FileOverrideLoad } from './file-overrides.js';
import { buildMetadata, CHANNEL_OPTIONS, channelCredentials } from './grpc-channel.js';
import { createGrpcInferTransport } from './grpc-infer-transport.js';
import { createGrpcStreamTransport } from './grpc-stream-transport.js';
import { createH2InferTransport } from './h2/h2-infer-transport.js';
import type { InferTransport } from '../load/infer-transport.js';
import type { StreamTransport } from '../load/stream-transport.js';

/** Where and how to connect. */
export interface TritonClientOptions {
  /** `host:port`. */
  readonly address: string;
  readonly isTls: boolean;
  /** Extra gRPC metadata on every call (secrets: never logged). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Deadline of control-plane calls (health, metadata, statistics); default 10 s. */
  readonly defaultTimeoutMs?: number;
  /** Separate HTTP/2 connections for inference (users are spread over them); default 1. */
  readonly inferChannels?: number;
  /**
   * Hot-path implementation: `h2` (default), our minimal gRPC-over-HTTP/2 client with
   * pre-encoded frames, or `grpc-js`. Measured on identity (docs/client-efficiency.md): h2 costs
   * 10–61 µs of client CPU per request, grpc-js 198–306 µs, perf_analyzer 81–106 µs.
   */
  readonly transport?: InferTransportKind;
  /** Warnings of the hot-path transport (e.g. the server's stream limit); default: dropped. */
  readonly onWarning?: (message: string) => void;
  /** Trusted CA certificates (PEM) for TLS instead of the system's (h2 transport). */
  readonly ca?: string;
}

/** Which implementation sends the load. */
export type InferTransportKind = 'h2' | 'grpc-js';

/** Per-call options. */
export interface CallOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

type Methods = typeof GRPCInferenceService.method;
type MethodName = keyof Methods;
type In<M extends MethodName> = MessageInitShape<Methods[M]['input']>;
type Out<M extends MethodName> = MessageShape<Methods[M]['output']>;

/** A connection to one Triton server. Close it in `finally`. */
export class TritonClient {
  readonly address: string;
  readonly isTls: boolean;
  private readonly client: grpc.Client;
  private readonly metadata: grpc.Metadata;
  private readonly defaultTimeoutMs: number;
  private readonly transports: { close(): void }[] = [];

  constructor(private readonly options: TritonClientOptions) {
    this.address = options.address;
    this.isTls = options.isTls;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 10_000;
    this.metadata = buildMetadata(options.headers);
    this.client = new grpc.Client(options.address, channelCredentials(options.isTls), CHANNEL_OPTIONS);
  }

  /** Sends one unary RPC of the service, decoding the reply. */
  async call<M extends MethodName>(name: M, request: In<M>, options: CallOptions = {}): Promise<Out<M>> {
    const method = GRPCInferenceService.method[name];
    const input = method.input as DescMessage;
    const output = method.output as DescMessage;
    const message = create(input, request as MessageInitShape<DescMessage>);
    return this.unary(
      method.name,
      (m) => Buffer.from(toBinary(input, m)),
      (b) => fromBinary(output, b),
      message,
      options,
    ) as Promise<Out<M>>;
  }

  private unary<Req, Res>(
    rpc: string,
    serialize: (value: Req) => Buffer,
    deserialize: (bytes: Buffer) => Res,
    request: Req,
    options: CallOptions,
  ): Promise<Res> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const failed = { rpc, server: this.address, isTls: this.isTls, timeoutMs };
    return new Promise<Res>((resolve, reject) => {
      const call = this.client.makeUnaryRequest(
        `/inference.GRPCInferenceService/${rpc}`,
        serialize,
        deserialize,
        request,
        this.metadata.clone(),
        { deadline: Date.now() + timeoutMs },
        (err, value) => {
          options.signal?.removeEventListener('abort', cancel);
          if (err !== null || value === undefined) reject(describeGrpcError(failed, err));
          else resolve(value);
        },
      );
      const cancel = (): void => {
        call.cancel();
      };
      if (options.signal?.aborted === true) cancel();
      else options.signal?.addEventListener('abort', cancel, { once: true });
    });
  }

  /** ServerLive: the server is up and has not failed. */
  async serverLive(options?: CallOptions): Promise<boolean> {
    return (await this.call('serverLive', {}, options)).live;
  }

  /** ServerReady: with strict readiness, false while any loaded model is not READY. */
  async serverReady(options?: CallOptions): Promise<boolean> {
    return (await this.call('serverReady', {}, options)).ready;
  }

  /** ServerMetadata: name, version (e.g. 2.51.0) and extensions. */
  serverMetadata(options?: CallOptions): Promise<ServerMetadataResponse> {
    return this.call('serverMetadata', {}, options);
  }

  /** ModelReady; Triton answers an unknown or unloaded model with an error, not `false`. */
  async modelReady(name: string, version = '', options?: CallOptions): Promise<boolean> {
    return (await this.call('modelReady', { name, version }, options)).ready;
  }

  /** ModelMetadata: inputs/outputs with protocol datatypes; shapes include -1 batch dims. */
  modelMetadata(name: string, version = '', options?: CallOptions): Promise<ModelMetadataResponse> {
    return this.call('modelMetadata', { name, version }, options);
  }

  /** ModelConfig: the effective config after normalization and auto-complete. */
  async modelConfig(name: string, version = '', options?: CallOptions): Promise<ModelConfig> {
    const response = await this.call('modelConfig', { name, version }, options);
    if (response.config === undefined) throw new Error(`ModelConfig of '${name}' returned no config`);
    return response.config;
  }

  /** ModelInfer with a typed request (encodes per call: use `inferRaw` on hot paths). */
  modelInfer(request: In<'modelInfer'>, options?: CallOptions): Promise<ModelInferResponse> {
    return this.call('modelInfer', request, options);
  }

  /** ModelInfer with already-encoded request bytes; returns the undecoded reply bytes. */
  inferRaw(request: Uint8Array, options: CallOptions = {}): Promise<Buffer> {
    const identity = (b: Buffer): Buffer => b;
    return this.unary(
      'ModelInfer',
      (r: Uint8Array) => Buffer.from(r.buffer, r.byteOffset, r.byteLength),
      identity,
      request,
      options,
    );
  }

  /** ModelStatistics for one model (all versions when `version` is empty). */
  async modelStatistics(name: string, version = '', options?: CallOptions): Promise<ModelStatistics[]> {
    return (await this.call('modelStatistics', { name, version }, options)).modelStats;
  }

  /** RepositoryIndex: every model the repository knows, with state and reason. */
  async repositoryIndex(isReadyOnly = false, options?: CallOptions): Promise<RepositoryIndexResponse_ModelIndex[]> {
    return (await this.call('repositoryIndex', { repositoryName: '', ready: isReadyOnly }, options)).models;
  }

  /**
   * RepositoryModelLoad; with `configJson` the on-disk config.pbtxt is replaced by it (Triton's
   * `config` override, a JSON string). Blocks until the model loaded or failed to load.
   */
  async repositoryModelLoad(name: string, configJson?: string, options?: CallOptions): Promise<void> {
    const parameters: NonNullable<In<'repositoryModelLoad'>['parameters']> = {};
    if (configJson !== undefined) {
      parameters['config'] = { parameterChoice: { case: 'stringParam', value: configJson } };
    }
    await this.call('repositoryModelLoad', { repositoryName: '', modelName: name, parameters }, options);
  }

  /**
   * RepositoryModelLoad of a model that need not be in the server's repository: its config and
   * files travel in the request (file-overrides.ts). Needs explicit model-control mode, like
   * every load. Blocks until the model loaded or failed to load.
   */
  async repositoryModelLoadFiles(name: string, load: FileOverrideLoad, options?: CallOptions): Promise<void> {
    await this.call(
      'repositoryModelLoad',
      { repositoryName: '', modelName: name, parameters: fileOverrideParameters(load) },
      options,
    );
  }

  /** RepositoryModelUnload; returns before the model is fully unloaded (poll the index). */
  async repositoryModelUnload(name: string, options?: CallOptions): Promise<void> {
    await this.call('repositoryModelUnload', { repositoryName: '', modelName: name, parameters: {} }, options);
  }

  /** The hot-path transport for the load generator, on its own channel(s). */
  inferTransport(): InferTransport {
    const channels = this.options.inferChannels ?? 1;
    const transport =
      (this.options.transport ?? 'h2') === 'h2'
        ? this.h2Transport(channels)
        : createGrpcInferTransport({ address: this.address, isTls: this.isTls, metadata: this.metadata, channels });
    this.transports.push(transport);
    return transport;
  }

  /** ModelStreamInfer streams for the streaming load loop (decoupled models), on their own channel(s). */
  streamTransport(): StreamTransport {
    const channels = this.options.inferChannels ?? 1;
    const transport =
      (this.options.transport ?? 'h2') === 'h2'
        ? this.h2Transport(channels)
        : createGrpcStreamTransport({ address: this.address, isTls: this.isTls, metadata: this.metadata, channels });
    this.transports.push(transport);
    return transport;
  }

  private h2Transport(connections: number): ReturnType<typeof createH2InferTransport> {
    return createH2InferTransport({
      address: this.address,
      isTls: this.isTls,
      headers: this.options.headers ?? {},
      connections,
      ...(this.options.onWarning === undefined ? {} : { onWarning: this.options.onWarning }),
      ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
    });
  }

  /** Closes every channel this client opened. */
  close(): void {
    for (const transport of this.transports) transport.close();
    this.client.close();
  }
}
