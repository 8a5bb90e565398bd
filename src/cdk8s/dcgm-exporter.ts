import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { buildDcgmExporter, DcgmExporterSpec } from '../core';
import { withConstructPath } from './errors';

/** Props of the DCGM exporter. */
export interface DcgmExporterProps extends DcgmExporterSpec {}

/**
 * NVIDIA's DCGM exporter on GPU nodes only, tolerating the GPU taint, with pod labels on its metrics and
 * a ServiceMonitor. The idle-GPU alert and the dashboard's GPU panel read its `DCGM_FI_DEV_GPU_UTIL`.
 *
 * @example
 * new DcgmExporter(chart, 'dcgm', { monitorLabels: { release: 'kube-prometheus-stack' } });
 */
export class DcgmExporter extends Construct {
  /** The DaemonSet (construct id `Resource`). */
  public readonly daemonSet: ApiObject;

  public constructor(scope: Construct, id: string, props: DcgmExporterProps = {}) {
    super(scope, id);
    const objects = withConstructPath(this, () => buildDcgmExporter(props));
    let daemonSet: ApiObject | undefined;
    for (const obj of objects) {
      const child = new ApiObject(this, obj.kind === 'DaemonSet' ? 'Resource' : obj.kind, obj);
      if (obj.kind === 'DaemonSet') daemonSet = child;
    }
    this.daemonSet = daemonSet!;
  }
}
