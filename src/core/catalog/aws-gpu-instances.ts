/**
 * AWS GPU instance types in common use for LLM inference.
 *
 * Prices: on-demand Linux list prices in the reference region us-east-1, in USD per instance-hour, as
 * published on the AWS EC2 On-Demand pricing page (aws.amazon.com/ec2/pricing/on-demand), including the
 * June 2025 P4d/P5 price reduction; transcribed and cross-checked against public price tables on
 * 2026-11-22. Prices change and differ by region: override them with `priceOverrides` (spot discounts,
 * savings plans, negotiated rates).
 *
 * GPU names are the `karpenter.k8s.aws/instance-gpu-name` label values (EC2 GPU names in lower kebab
 * case, reference.md 6.1); GPU memory is EC2's `GpuInfo` memory per GPU in MiB, the value Karpenter puts
 * in `karpenter.k8s.aws/instance-gpu-memory`.
 */

/** One GPU instance type. */
export interface GpuInstanceType {
  readonly instanceType: string;
  readonly family: string;
  readonly gpuCount: number;
  /** Karpenter's `instance-gpu-name` value, e.g. `a10g`. */
  readonly gpuName: string;
  /** Memory of one GPU, MiB. */
  readonly gpuMemoryMiB: number;
  readonly vcpu: number;
  /** Host memory, MiB. */
  readonly memoryMiB: number;
  /** On-demand USD per instance-hour in the reference region. */
  readonly onDemandHourlyUsd: number;
}

/** Region, date and source of the catalog prices. */
export const GPU_PRICE_SOURCE = {
  region: 'us-east-1',
  date: '2026-11-22',
  source: 'AWS EC2 On-Demand pricing (Linux), https://aws.amazon.com/ec2/pricing/on-demand/',
} as const;

const GPU_MEMORY_MIB = { t4: 16384, a10g: 24576, l4: 22888, l40s: 46068, a100: 40960, h100: 81920 } as const;

type Row = [instanceType: string, gpus: number, vcpu: number, memoryGiB: number, usd: number];

function family(name: string, gpuName: keyof typeof GPU_MEMORY_MIB, rows: Row[]): GpuInstanceType[] {
  return rows.map(([instanceType, gpuCount, vcpu, memoryGiB, usd]) => ({
    instanceType, family: name, gpuCount, gpuName, gpuMemoryMiB: GPU_MEMORY_MIB[gpuName], vcpu, memoryMiB: memoryGiB * 1024, onDemandHourlyUsd: usd,
  }));
}

/** The catalog, by instance type. */
export const AWS_GPU_INSTANCES: readonly GpuInstanceType[] = [
  ...family('g4dn', 't4', [
    ['g4dn.xlarge', 1, 4, 16, 0.526], ['g4dn.2xlarge', 1, 8, 32, 0.752], ['g4dn.4xlarge', 1, 16, 64, 1.204],
    ['g4dn.8xlarge', 1, 32, 128, 2.176], ['g4dn.12xlarge', 4, 48, 192, 3.912], ['g4dn.16xlarge', 1, 64, 256, 4.352],
  ]),
  ...family('g5', 'a10g', [
    ['g5.xlarge', 1, 4, 16, 1.006], ['g5.2xlarge', 1, 8, 32, 1.212], ['g5.4xlarge', 1, 16, 64, 1.624],
    ['g5.8xlarge', 1, 32, 128, 2.448], ['g5.12xlarge', 4, 48, 192, 5.672], ['g5.16xlarge', 1, 64, 256, 4.096],
    ['g5.24xlarge', 4, 96, 384, 8.144], ['g5.48xlarge', 8, 192, 768, 16.288],
  ]),
  ...family('g6', 'l4', [
    ['g6.xlarge', 1, 4, 16, 0.8048], ['g6.2xlarge', 1, 8, 32, 0.9776], ['g6.4xlarge', 1, 16, 64, 1.3232],
    ['g6.8xlarge', 1, 32, 128, 2.0144], ['g6.12xlarge', 4, 48, 192, 4.6016], ['g6.16xlarge', 1, 64, 256, 3.3968],
    ['g6.24xlarge', 4, 96, 384, 6.6752], ['g6.48xlarge', 8, 192, 768, 13.3504],
  ]),
  ...family('g6e', 'l40s', [
    ['g6e.xlarge', 1, 4, 32, 1.861], ['g6e.2xlarge', 1, 8, 64, 2.24208], ['g6e.4xlarge', 1, 16, 128, 3.00424],
    ['g6e.8xlarge', 1, 32, 256, 4.52856], ['g6e.12xlarge', 4, 48, 384, 10.49264], ['g6e.16xlarge', 1, 64, 512, 7.57719],
    ['g6e.24xlarge', 4, 96, 768, 15.06559], ['g6e.48xlarge', 8, 192, 1536, 30.13118],
  ]),
  ...family('p4d', 'a100', [['p4d.24xlarge', 8, 96, 1152, 21.957642]]),
  ...family('p5', 'h100', [['p5.48xlarge', 8, 192, 2048, 55.04]]),
];

/** Families in the catalog. */
export const AWS_GPU_FAMILIES: readonly string[] = [...new Set(AWS_GPU_INSTANCES.map((i) => i.family))];

/** The catalog entry of an instance type, or undefined. */
export function gpuInstance(instanceType: string): GpuInstanceType | undefined {
  return AWS_GPU_INSTANCES.find((i) => i.instanceType === instanceType);
}

/** Price of one GPU-hour on an instance type, with overrides (USD per instance-hour) applied. */
export function gpuHourlyUsd(instance: GpuInstanceType, overrides: Readonly<Record<string, number>> = {}): number {
  return (overrides[instance.instanceType] ?? instance.onDemandHourlyUsd) / instance.gpuCount;
}
