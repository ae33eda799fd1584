/**
 * Reading nvidia-smi's GPU list (src/metrics/parse-nvidia-smi.ts) from text in its CSV format
 * (test/fixtures/nvidia-smi/README.md says where the text comes from), and keeping the GPUs that
 * serve the run.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gpuFingerprintOf, parseNvidiaSmiGpus } from '../../../src/metrics/parse-nvidia-smi.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/nvidia-smi/${name}`, import.meta.url), 'utf8');
// The two GPUs of test/fixtures/metrics/gpu-two-a100.prom (what Triton's metrics would name).
const SERVER_UUIDS = ['GPU-7d3c1a52-0b44-4e8e-9a51-2f6c0d1e9b10', 'GPU-1f0e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'];

describe('parseNvidiaSmiGpus', () => {
  it('reads one GPU', () => {
    expect(parseNvidiaSmiGpus(fixture('one-l4.csv'))).toEqual([
      { name: 'NVIDIA L4', driver: '550.54.15', uuid: 'GPU-5b1e2c3d-7a8f-4e21-9c0d-1f2e3a4b5c6d' },
    ]);
  });

  it('reads several GPUs in nvidia-smi order', () => {
    const gpus = parseNvidiaSmiGpus(fixture('four-a100.csv'));
    expect(gpus.map((gpu) => gpu.name)).toEqual(Array(4).fill('NVIDIA A100-SXM4-80GB'));
    expect(gpus.map((gpu) => gpu.uuid.slice(0, 12))).toEqual([
      'GPU-7d3c1a52',
      'GPU-1f0e2d3c',
      'GPU-0a1b2c3d',
      'GPU-9f8e7d6c',
    ]);
    expect(new Set(gpus.map((gpu) => gpu.driver))).toEqual(new Set(['535.104.05']));
  });

  it('gives no GPU for the error a machine without a working driver prints, or for garbage', () => {
    expect(parseNvidiaSmiGpus(fixture('driver-down.txt'))).toEqual([]);
    expect(parseNvidiaSmiGpus('No devices were found\n')).toEqual([]);
    expect(parseNvidiaSmiGpus('')).toEqual([]);
    expect(parseNvidiaSmiGpus('\u0000\u0001, , ,\n{"name": "x"}\n')).toEqual([]);
    expect(parseNvidiaSmiGpus('NVIDIA L4, [N/A], GPU-5b1e2c3d\n')).toEqual([]);
    expect(parseNvidiaSmiGpus('NVIDIA L4, 550.54.15, not-a-uuid\n')).toEqual([]);
    expect(parseNvidiaSmiGpus(`${'x'.repeat(101)}, 550.54.15, GPU-1\n`)).toEqual([]);
  });

  it('keeps the good lines among bad ones, CRLF line ends and a comma inside a name', () => {
    const text =
      'WARNING: infoROM is corrupted at gpu 0000:00:04.0\r\nTesla T4, rev B, 470.82.01, GPU-aa\r\nNVIDIA L4, 550.54.15, GPU-bb\r\n';
    expect(parseNvidiaSmiGpus(text)).toEqual([
      { name: 'Tesla T4, rev B', driver: '470.82.01', uuid: 'GPU-aa' },
      { name: 'NVIDIA L4', driver: '550.54.15', uuid: 'GPU-bb' },
    ]);
  });
});

describe('gpuFingerprintOf', () => {
  const four = parseNvidiaSmiGpus(fixture('four-a100.csv'));

  it('keeps the GPUs the server uses when its metrics named them (case-insensitive UUIDs)', () => {
    expect(
      gpuFingerprintOf(
        four,
        SERVER_UUIDS.map((uuid) => uuid.toUpperCase()),
      ),
    ).toEqual({
      gpuNames: ['NVIDIA A100-SXM4-80GB', 'NVIDIA A100-SXM4-80GB'],
      gpuDriver: '535.104.05',
    });
  });

  it('records every runner GPU when the server named none (metrics off: the server is taken as local)', () => {
    expect(gpuFingerprintOf(four, []).gpuNames).toHaveLength(4);
  });

  it('records nothing when the server uses none of the runner GPUs (a server on another machine)', () => {
    expect(gpuFingerprintOf(parseNvidiaSmiGpus(fixture('one-l4.csv')), SERVER_UUIDS)).toEqual({});
  });

  it('records nothing without GPUs, and each driver once when they differ', () => {
    expect(gpuFingerprintOf([], [])).toEqual({});
    const mixed = [
      { name: 'NVIDIA L4', driver: '550.54.15', uuid: 'GPU-a' },
      { name: 'NVIDIA L4', driver: '550.54.15', uuid: 'GPU-b' },
      { name: 'NVIDIA T4', driver: '470.82.01', uuid: 'GPU-c' },
    ];
    expect(gpuFingerprintOf(mixed, [])).toEqual({
      gpuNames: ['NVIDIA L4', 'NVIDIA L4', 'NVIDIA T4'],
      gpuDriver: '550.54.15, 470.82.01',
    });
  });
});
