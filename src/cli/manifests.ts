/**
 * Loads Kubernetes objects from YAML or JSON files and directories for `tokenscale check`: every document
 * with its file and line. Documents that are not Kubernetes objects (and files that are not YAML) are
 * reported and skipped; a path that cannot be read is a usage error.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMap, isNode, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { KubeObject } from '../core';
import { UsageError } from './io';

/** One object and where it was read. */
export interface LoadedObject {
  readonly file: string;
  readonly line: number;
  readonly object: KubeObject;
}

/** A document that was skipped, and why. */
export interface SkippedDocument {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

const MANIFEST = /\.(ya?ml|json)$/i;

/** Files under the given paths: files as given, directories searched recursively for .yaml/.yml/.json. */
export function manifestFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (p: string, given: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (err) {
      throw new UsageError(`${p}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)}); pass existing files or directories`);
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) visit(path.join(p, entry), false);
    } else if (given || MANIFEST.test(p)) {
      files.push(p);
    }
  };
  for (const p of paths) visit(p, true);
  return files;
}

/** Reads every document of the files; non-objects are returned as skipped. */
export function loadManifests(files: readonly string[]): { objects: LoadedObject[]; skipped: SkippedDocument[] } {
  const objects: LoadedObject[] = [];
  const skipped: SkippedDocument[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    const lineCounter = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter });
    if (!Array.isArray(docs)) continue; // an empty stream
    for (const doc of docs) {
      const line = lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
      if (doc.errors.length > 0) {
        skipped.push({ file, line: lineCounter.linePos(doc.errors[0].pos[0]).line, reason: `not valid YAML (${doc.errors[0].message.split('\n')[0]})` });
        continue;
      }
      if (doc.contents === null) continue; // an empty document between separators
      const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
      // A List (`kubectl get -o yaml`) is checked item by item, each at its own line.
      const itemsNode = isMap(doc.contents) && isRecord(value) && value.kind === 'List' && Array.isArray(value.items) ? doc.contents.get('items', true) : undefined;
      const items = itemsNode !== undefined ? (value as { items: unknown[] }).items : [value];
      items.forEach((item, i) => {
        const node = isSeq(itemsNode) ? itemsNode.items[i] : undefined;
        const at = isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : line;
        const reason = notAnObject(item);
        if (reason) skipped.push({ file, line: at, reason });
        else objects.push({ file, line: at, object: item as KubeObject });
      });
    }
  }
  return { objects, skipped };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why a document is not a Kubernetes object, or undefined when it is one. */
function notAnObject(value: unknown): string | undefined {
  if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') return 'not a Kubernetes object (no apiVersion and kind)';
  if (!isRecord(value.metadata) || typeof value.metadata.name !== 'string') return `${value.kind} without metadata.name`;
  return undefined;
}
