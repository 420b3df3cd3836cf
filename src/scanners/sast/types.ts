import type { Node } from '@babel/types';
import type { Severity } from '../../model/severity.ts';
import type { ImportMap } from './imports.ts';
import type { Taint } from './taint.ts';

/** What a rule is, for docs, SARIF rule descriptors and the rule-set digest. */
export interface SastRuleMeta {
  /** Stable id, `js/<name>`; fixtures live in test/scanners/sast/fixtures/<name>/. */
  id: string;
  title: string;
  description: string;
  severity: Severity;
  cwe: string;
}

export type NodeOf<T extends Node['type']> = Extract<Node, { type: T }>;

/** Per node type, a callback with the node and its ancestors (root first, parent last). */
export type Visitors = {
  [T in Node['type']]?: (node: NodeOf<T>, ancestors: readonly Node[]) => void;
};

export interface RuleContext {
  file: string;
  imports: ImportMap;
  taint: Taint;
  /** Report at a node; `severity` overrides the rule's default (e.g. raised for request input). */
  report(node: Node, message: string, severity?: Severity): void;
}

/** One rule = metadata + a visitor factory, called once per file. */
export interface SastRule extends SastRuleMeta {
  create(context: RuleContext): Visitors;
}
