/**
 * Strict schema validation of emitted objects.
 *
 * With `../shared` beside the checkout, objects are validated against the exact upstream files: the
 * Kubernetes v1.33.0 JSON schema (cdk8s-team/cdk8s `kubernetes-schemas/v1.33.0/_definitions.json`) and the
 * upstream CRDs (KEDA v2.20.2, Karpenter v1.14.1, Gatekeeper v3.23.0, prometheus-operator v0.93.0). Both are
 * made strict the way kubeconform's strict mode and the API server's strict field validation are: every
 * object schema that lists properties rejects any other property.
 *
 * Without `../shared`, built-in kinds are validated with the `kubernetes-models` validators (types and
 * required fields, not unknown fields) and custom resources are not schema-checked; `strictSchemasAvailable`
 * tells tests which mode they run in.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

export const SHARED_DIR = process.env.TOKENSCALE_SHARED_DIR ?? path.resolve(__dirname, '../../../shared');
const K8S_DEFINITIONS = path.join(SHARED_DIR, 'k8s-schema', 'v1.33.0-definitions.json');
const CRD_DIR = path.join(SHARED_DIR, 'crds');

export const strictSchemasAvailable = fs.existsSync(K8S_DEFINITIONS) && fs.existsSync(CRD_DIR);

type Schema = Record<string, any>;

/** Adds `additionalProperties: false` to every object schema that lists properties and allows no extras. */
export function makeStrict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(makeStrict);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] = k === 'properties'
      ? Object.fromEntries(Object.entries(v as Schema).map(([pk, pv]) => [pk, makeStrict(pv)]))
      : makeStrict(v);
  }
  if (out.properties && out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

interface KindValidator { readonly schema: object; validate?: ValidateFunction; readonly source: string }

/** Go RE2 patterns in CRDs may carry an inline `(?i)` flag (PrometheusRule's `^(?i)(abort|warn)?$`), which JavaScript spells as a flag. */
function goRegExp(pattern: string, flags: string): RegExp {
  return pattern.includes('(?i)') ? new RegExp(pattern.split('(?i)').join(''), `${flags}i`) : new RegExp(pattern, flags);
}
goRegExp.code = 'goRegExp';

class StrictValidators {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp as any } });
  private readonly byGvk = new Map<string, KindValidator>();

  public constructor() {
    const defs = JSON.parse(fs.readFileSync(K8S_DEFINITIONS, 'utf8')).definitions as Record<string, Schema>;
    const strictDefs = makeStrict(defs) as Record<string, Schema>;
    this.ajv.addSchema({ $id: 'k8s', definitions: strictDefs });
    for (const [key, def] of Object.entries(defs)) {
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        this.byGvk.set(`${apiVersion}/${gvk.kind}`, {
          schema: { $ref: `k8s#/definitions/${key}` },
          source: `k8s v1.33.0 ${key}`,
        });
      }
    }
    const objectMeta = { $ref: 'k8s#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' };
    for (const file of fs.readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml'))) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(CRD_DIR, file), 'utf8'))) {
        const crd = doc.toJS();
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const version of crd.spec.versions) {
          const schema = makeStrict(version.schema.openAPIV3Schema) as Schema;
          // The CRD leaves metadata open; the API server validates it as ObjectMeta.
          schema.properties = { ...schema.properties, metadata: objectMeta };
          this.byGvk.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, {
            schema,
            source: `${file} ${version.name}`,
          });
        }
      }
    }
  }

  /**
   * Registers the Constraint kind a Gatekeeper ConstraintTemplate creates, the way Gatekeeper generates its
   * CRD: `spec.parameters` is the template's own schema (made strict), beside `enforcementAction`,
   * `scopedEnforcementActions` and `match` (Gatekeeper's match schema, not part of the upstream files).
   */
  public registerConstraintTemplate(template: Schema): void {
    const kind = template.spec?.crd?.spec?.names?.kind;
    const parameters = template.spec?.crd?.spec?.validation?.openAPIV3Schema ?? { type: 'object' };
    if (typeof kind !== 'string') return;
    const key = `constraints.gatekeeper.sh/v1beta1/${kind}`;
    if (this.byGvk.has(key)) return;
    this.byGvk.set(key, {
      schema: {
        type: 'object',
        required: ['apiVersion', 'kind', 'metadata', 'spec'],
        additionalProperties: false,
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { $ref: 'k8s#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
          spec: {
            type: 'object',
            additionalProperties: false,
            properties: {
              enforcementAction: { type: 'string' },
              scopedEnforcementActions: { type: 'array' },
              match: { type: 'object' },
              parameters: makeStrict(parameters),
            },
          },
        },
      },
      source: `generated from ConstraintTemplate ${String(template.metadata?.name)}`,
    });
  }

  public validate(obj: Schema): string[] {
    const validator = this.byGvk.get(`${obj.apiVersion}/${obj.kind}`);
    if (!validator) return [`no upstream schema for ${obj.apiVersion} ${obj.kind}`];
    validator.validate ??= this.ajv.compile(validator.schema);
    if (validator.validate(obj)) return [];
    return (validator.validate.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as any).additionalProperty})` : '';
      return `${e.instancePath || '/'} ${e.message}${extra} [${validator.source}]`;
    });
  }
}

/** Type-level validation with kubernetes-models when the upstream schema files are absent. */
function validateWithKubernetesModels(obj: Schema): string[] {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const modulePath = group ? `kubernetes-models/${group}/${version}/${obj.kind}` : `kubernetes-models/${version}/${obj.kind}`;
  let Model: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Model = require(modulePath)[obj.kind];
  } catch {
    return []; // a custom resource: no schema without ../shared
  }
  try {
    new Model(obj).validate();
    return [];
  } catch (err) {
    return [String((err as Error).message)];
  }
}

let strict: StrictValidators | undefined;

/** Validates one object; returns its schema errors (empty when valid). */
export function schemaErrors(obj: unknown): string[] {
  const o = obj as Schema;
  if (typeof o?.apiVersion !== 'string' || typeof o?.kind !== 'string') return ['not a Kubernetes object (apiVersion/kind missing)'];
  if (strictSchemasAvailable) {
    strict ??= new StrictValidators();
    return strict.validate(o);
  }
  return validateWithKubernetesModels(o);
}

/**
 * Validates objects; returns `kind/name: error` lines for every problem. Gatekeeper Constraints are
 * validated against the schema their ConstraintTemplate (in the same list) generates.
 */
export function allSchemaErrors(objects: readonly unknown[]): string[] {
  if (strictSchemasAvailable) {
    strict ??= new StrictValidators();
    for (const o of objects as Schema[]) if (o?.kind === 'ConstraintTemplate') strict.registerConstraintTemplate(o);
  }
  return objects.flatMap((o) => schemaErrors(o).map((e) => `${(o as Schema).kind}/${(o as Schema).metadata?.name}: ${e}`));
}
