import { createRequire } from 'node:module';
import type * as YamlModule from 'yaml';
import { InputError } from '../../../util/errors.ts';
import { MAX_YAML_ALIASES } from '../limits.ts';
import { parseFastYaml } from './yaml-fast.ts';

export interface ParsedYaml {
  value: unknown;
  /** 1-based line of each key of the mapping at `path`. */
  keyLines(path: string[]): Map<string, number>;
}

// Loaded on first use, synchronously: a scan without YAML lockfiles never pays for the parser.
const requireModule = createRequire(import.meta.url);
let yamlModule: typeof YamlModule | undefined;
function yaml(): typeof YamlModule {
  yamlModule ??= requireModule('yaml') as typeof YamlModule;
  return yamlModule;
}

/** YAML with an alias budget, and errors that carry the file and line. */
export function parseYaml(text: string, file: string): ParsedYaml {
  const fast = parseFastYaml(text);
  if (fast) {
    return {
      value: fast.value,
      keyLines(path: string[]): Map<string, number> {
        let node: unknown = fast.value;
        for (const key of path) {
          node =
            typeof node === 'object' && node !== null && Object.hasOwn(node, key)
              ? (node as Record<string, unknown>)[key]
              : undefined;
        }
        return (typeof node === 'object' && node !== null && fast.lines.get(node)) || new Map();
      },
    };
  }
  return parseYamlFully(text, file);
}

/** The `yaml` package: everything YAML allows, with an alias budget and located errors. */
function parseYamlFully(text: string, file: string): ParsedYaml {
  const { isMap, isScalar, LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  let doc: YamlModule.Document.Parsed;
  let value: unknown;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: false });
    const problem = doc.errors[0];
    if (problem) {
      const pos = problem.linePos?.[0];
      throw new InputError('YAML_SYNTAX', `${file}: not valid YAML: ${problem.message.split('\n')[0]}`, {
        file,
        line: pos?.line,
        column: pos?.col,
      });
    }
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      'YAML_SYNTAX',
      `${file}: not valid YAML: ${(error as Error).message}`,
      { file },
      { cause: error },
    );
  }
  return {
    value,
    keyLines(path: string[]): Map<string, number> {
      const lines = new Map<string, number>();
      const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
      if (!isMap(node)) return lines;
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && key.range) lines.set(String(key.value), lineCounter.linePos(key.range[0]).line);
      }
      return lines;
    },
  };
}
