import type { SpecIssue } from '../errors';
import { checkBoolean, checkChoice, checkInteger, checkKnownKeys, checkList, checkNumber } from './checks';
import type { ComplianceEnvelopeSpec } from './compliance-envelope';
import { checkLabelValue, checkNamespace, checkObjectName, isLabelKey } from './names';

export function complianceEnvelopeIssues(spec: ComplianceEnvelopeSpec, path = 'envelope'): SpecIssue[] {
  const p = (f: string) => `${path}.${f}`;
  const issues: SpecIssue[] = [
    ...checkKnownKeys(path, spec, ['name', 'profile', 'allowedZones', 'requireZoneConstraint', 'minReplicas', 'maxReplicas', 'haMinReplicas',
      'drainBufferSeconds', 'requiredLabels', 'requireDigestPinnedImages', 'monthlyBudgetUsd', 'gpuHourlyUsd', 'enforcement', 'enforcementAction',
      'waivers', 'auditPolicy', 'residencyNamespaces']),
    ...(spec.name !== undefined ? checkObjectName(p('name'), spec.name) : []),
    ...checkChoice(p('profile'), spec.profile, ['baseline', 'hipaa', 'pci'], 'profile-unknown'),
    ...checkInteger(p('minReplicas'), spec.minReplicas, { min: 0, code: 'replicas-invalid', fix: 'use 1 or more for interactive fleets' }),
    ...checkInteger(p('maxReplicas'), spec.maxReplicas, { min: 1, code: 'replicas-invalid', fix: 'use the largest replica count you allow' }),
    ...checkInteger(p('haMinReplicas'), spec.haMinReplicas, { min: 1, code: 'replicas-invalid', fix: 'use 2 to survive a zone outage' }),
    ...checkInteger(p('drainBufferSeconds'), spec.drainBufferSeconds, { min: 0, max: 600, code: 'drain-buffer-invalid', fix: 'use 5 to 30 seconds' }),
    ...checkNumber(p('monthlyBudgetUsd'), spec.monthlyBudgetUsd, { above: 0, code: 'budget-invalid', why: 'a budget must be > 0', fix: 'set the monthly USD a pool may cost' }),
    ...checkNumber(p('gpuHourlyUsd'), spec.gpuHourlyUsd, { above: 0, code: 'price-invalid', why: 'a price must be > 0', fix: 'use your $/GPU-hour' }),
    ...checkChoice(p('enforcementAction'), spec.enforcementAction, ['deny', 'warn', 'dryrun'], 'enforcement-action-invalid'),
  ];
  if (!Array.isArray(spec.allowedZones) || spec.allowedZones.length === 0) {
    issues.push({ code: 'zones-empty', path: p('allowedZones'), value: spec.allowedZones, problem: 'an envelope with no zone admits no pod', fix: 'list the approved zones, e.g. ["eu-central-1a", "eu-central-1b"]' });
  } else {
    spec.allowedZones.forEach((z, i) => issues.push(...checkLabelValue(`${p('allowedZones')}[${i}]`, z)));
  }
  const min = spec.minReplicas ?? 1;
  const max = spec.maxReplicas ?? 20;
  if (Number.isInteger(min) && Number.isInteger(max) && min > max) {
    issues.push({ code: 'replica-range-invalid', path: p('minReplicas'), value: min, problem: `it is above maxReplicas (${max})`, fix: 'set minReplicas <= maxReplicas' });
  }
  for (const field of ['requireZoneConstraint', 'requireDigestPinnedImages', 'auditPolicy'] as const) {
    issues.push(...checkBoolean(p(field), spec[field], 'flag-invalid'));
  }
  issues.push(...checkList(p('enforcement'), spec.enforcement, 'enforcement-invalid', 'list the enforcement points, e.g. [vap]'));
  issues.push(...checkList(p('requiredLabels'), spec.requiredLabels, 'required-labels-invalid', 'list label keys, e.g. [tokenscale.io/cost-center]'));
  issues.push(...checkList(p('waivers'), spec.waivers, 'waivers-invalid', 'list waivers as { rule, object, reason }'));
  const list = <T>(value: readonly T[] | undefined): readonly T[] => (Array.isArray(value) ? value : []);
  issues.push(...checkList(p('residencyNamespaces'), spec.residencyNamespaces, 'residency-namespaces-invalid', 'list namespaces, e.g. [phi]'));
  list(spec.residencyNamespaces).forEach((ns, i) => issues.push(...checkNamespace(`${p('residencyNamespaces')}[${i}]`, ns)));
  const enforcement = list(spec.enforcement ?? ['vap']);
  if (list(spec.residencyNamespaces).length > 0 && !enforcement.includes('vap')) {
    issues.push({
      code: 'residency-needs-vap',
      path: p('enforcement'),
      value: spec.enforcement,
      problem: 'residencyNamespaces is checked on pods/binding, which only a ValidatingAdmissionPolicy reviews (Gatekeeper does not)',
      fix: 'add vap to enforcement, e.g. [gatekeeper, vap]',
    });
  }
  list(spec.enforcement).forEach((e, i) => issues.push(...checkChoice(`${p('enforcement')}[${i}]`, e, ['gatekeeper', 'vap'], 'enforcement-invalid')));
  list(spec.requiredLabels).forEach((l, i) => {
    if (typeof l !== 'string' || !isLabelKey(l)) {
      issues.push({ code: 'required-labels-invalid', path: `${p('requiredLabels')}[${i}]`, value: l, problem: 'it must be a label key', fix: 'use keys such as "tokenscale.io/cost-center"' });
    }
  });
  list(spec.waivers).forEach((w, i) => {
    if (typeof w !== 'object' || w === null || Array.isArray(w)) {
      issues.push({ code: 'waiver-invalid', path: `${p('waivers')}[${i}]`, value: w, problem: 'a waiver is a mapping', fix: 'write { rule, object, reason }' });
      return;
    }
    issues.push(...checkKnownKeys(`${p('waivers')}[${i}]`, w, ['rule', 'object', 'reason']));
    if (typeof w.rule !== 'string' || typeof w.object !== 'string') {
      issues.push({ code: 'waiver-invalid', path: `${p('waivers')}[${i}].rule`, value: w.rule, problem: 'a waiver names a rule id and an object (Kind/namespace/name)', fix: 'write { rule: images-pinned-by-digest, object: Deployment/llm/chat, reason: ... }' });
    }
    if (typeof w.reason !== 'string' || w.reason.trim().length < 10) {
      issues.push({ code: 'waiver-reason-missing', path: `${p('waivers')}[${i}].reason`, value: w.reason, problem: 'every waiver needs a reason an auditor can read', fix: 'state why the rule does not apply and who approved it' });
    }
  });
  return issues;
}
