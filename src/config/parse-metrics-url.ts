/**
 * `metrics-url`: where Triton's Prometheus metrics are read during each cell (docs/metrics.md).
 * Default: the gRPC server's host on Triton's default metrics port 8002, path `/metrics`;
 * `none` turns the sampling off.
 */
import { type Parser, fail, ok } from './parse-values.js';

/** Triton's default metrics port (`--metrics-port`). */
export const DEFAULT_METRICS_PORT = 8002;

const EXPECTED = "an http:// or https:// URL of Triton's metrics (e.g. 'http://127.0.0.1:8002/metrics') or 'none'";

/** `none` → null, else an absolute http(s) URL without credentials. */
export const metricsUrl: Parser<string | null> = (value) => {
  if (value === 'none') return ok(null);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail({ expected: EXPECTED, hint: 'not an absolute URL' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail({ expected: EXPECTED, hint: `scheme '${url.protocol.slice(0, -1)}' is not http or https` });
  }
  if (url.username !== '' || url.password !== '') return fail({ expected: EXPECTED, hint: 'remove the credentials' });
  return ok(url.href);
};

/** The default for a gRPC `host:port` (`[v6]:port` kept bracketed). */
export function defaultMetricsUrl(grpcAddress: string): string {
  const host = grpcAddress.slice(0, grpcAddress.lastIndexOf(':'));
  return `http://${host}:${DEFAULT_METRICS_PORT}/metrics`;
}
