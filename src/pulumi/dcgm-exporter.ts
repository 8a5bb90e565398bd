import * as pulumi from '@pulumi/pulumi';
import { buildDcgmExporter, DcgmExporterSpec } from '../core';
import { registerObject, validated } from './register';

/** Args of the DcgmExporter component. */
export interface DcgmExporterArgs extends DcgmExporterSpec {
  /** @default - the default provider */
  readonly provider?: pulumi.ProviderResource;
}

/** NVIDIA's DCGM exporter on GPU nodes only (see the cdk8s construct). */
export class DcgmExporter extends pulumi.ComponentResource {
  public constructor(name: string, args: DcgmExporterArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('tokenscale:index:DcgmExporter', name, {}, opts);
    const { provider, ...spec } = args;
    for (const obj of validated(this, () => buildDcgmExporter(spec))) registerObject(this, name, obj, provider);
    this.registerOutputs({});
  }
}
