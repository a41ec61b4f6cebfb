import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildTotals, type CoverageTotals, type CoveredOfValid } from './coverage-totals';
import { isRecord, parseCountText, truncate } from './counts.util';
import { CoverageParseError } from './errors';
import { assertXmlShape } from './xml-shape';

const FORMAT = 'cobertura';
const ATTR = '@_';

// Entity declarations are how both XXE and "billion laughs" work. Cobertura never needs
// them, so any document declaring one is refused before a parser sees it.
const ENTITY_DECLARATION = /<!ENTITY/i;

const BASE_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseAttributeValue: false,
  parseTagValue: false,
  // Belt and braces with the pre-check above: never expand entities of any kind.
  processEntities: false,
  htmlEntities: false,
} as const;

const LINE_PATHS = new Set([
  'coverage.packages.package',
  'coverage.packages.package.classes.class',
  'coverage.packages.package.classes.class.lines.line',
]);

/**
 * Cobertura XML as written by coverage.py / pytest-cov (and istanbul's cobertura reporter).
 * Totals come from the root `<coverage>` attributes; only when a writer left them out are
 * they recomputed from the `<line>` elements.
 */
export function parseCobertura(text: string): CoverageTotals {
  assertSafeXml(text);
  assertXmlShape(text);
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { line, col, msg } = validation.err;
    throw new CoverageParseError(FORMAT, 'malformed', `invalid XML at line ${line}, column ${col}: ${msg}`);
  }

  // First pass skips the (possibly huge) package tree: the root attributes are usually all we need.
  const shallow = new XMLParser({
    ...BASE_OPTIONS,
    stopNodes: ['coverage.packages', 'coverage.sources'],
  }).parse(text) as unknown;
  const root = rootElement(shallow);

  const lines = attributePair(root, 'lines-covered', 'lines-valid');
  const branches = attributePair(root, 'branches-covered', 'branches-valid');
  if (lines !== null && branches !== null) {
    return buildTotals(FORMAT, lines, branches);
  }

  const counted = countFromLineElements(text);
  if (lines === null && counted.lines.valid === 0) {
    throw new CoverageParseError(
      FORMAT,
      'malformed',
      '<coverage> has no lines-covered/lines-valid attributes and the report holds no <line> elements',
    );
  }
  return buildTotals(FORMAT, lines ?? counted.lines, branches ?? counted.branches);
}

export function assertSafeXml(text: string): void {
  if (ENTITY_DECLARATION.test(text)) {
    throw new CoverageParseError(
      FORMAT,
      'unsafe',
      'document declares XML entities (<!ENTITY …>); refused to prevent entity expansion and external entity (XXE) attacks',
    );
  }
}

function rootElement(parsed: unknown): Record<string, unknown> {
  if (!isRecord(parsed)) {
    throw new CoverageParseError(FORMAT, 'malformed', 'document has no root element');
  }
  if (!('coverage' in parsed)) {
    const names = Object.keys(parsed).filter((key) => !key.startsWith('?') && !key.startsWith('#'));
    const found = names.length > 0 ? `<${truncate(names[0] ?? '')}>` : 'nothing';
    throw new CoverageParseError(FORMAT, 'malformed', `root element is ${found}, expected <coverage>`);
  }
  const root = parsed['coverage'];
  // `<coverage/>` with no attributes parses to an empty string.
  return isRecord(root) ? root : {};
}

function attributePair(
  element: Record<string, unknown>,
  coveredName: string,
  validName: string,
): CoveredOfValid | null {
  const covered = element[ATTR + coveredName];
  const valid = element[ATTR + validName];
  if (covered === undefined || valid === undefined) return null;
  return {
    covered: parseCountText(FORMAT, `attribute ${coveredName}`, String(covered)),
    valid: parseCountText(FORMAT, `attribute ${validName}`, String(valid)),
  };
}

const CONDITION_COVERAGE = /\((\d+)\/(\d+)\)/;

/**
 * Older Cobertura writers only give rates on the root. Count each (file, line number) once,
 * since one file's lines can appear under several classes; `<methods>` repeat class lines
 * and are ignored.
 */
function countFromLineElements(text: string): { lines: CoveredOfValid; branches: CoveredOfValid | null } {
  const parser = new XMLParser({ ...BASE_OPTIONS, isArray: (_name, jpath) => LINE_PATHS.has(String(jpath)) });
  const root = rootElement(parser.parse(text) as unknown);

  const lineHits = new Map<string, boolean>();
  const branchCounts = new Map<string, CoveredOfValid>();
  for (const pkg of children(children(root, 'packages')[0], 'package')) {
    for (const cls of children(children(pkg, 'classes')[0], 'class')) {
      const filename = String(cls[ATTR + 'filename'] ?? cls[ATTR + 'name'] ?? '');
      for (const line of children(children(cls, 'lines')[0], 'line')) {
        const number = parseCountText(
          FORMAT,
          `<line> number in ${filename}`,
          String(line[ATTR + 'number'] ?? ''),
        );
        const hits = parseCountText(
          FORMAT,
          `<line> hits in ${filename}:${number}`,
          String(line[ATTR + 'hits'] ?? ''),
        );
        const key = `${filename}\u0000${number}`;
        lineHits.set(key, (lineHits.get(key) ?? false) || hits > 0);

        const condition = line[ATTR + 'condition-coverage'];
        if (String(line[ATTR + 'branch']) === 'true' && condition !== undefined) {
          const match = CONDITION_COVERAGE.exec(String(condition));
          if (!match) {
            throw new CoverageParseError(
              FORMAT,
              'malformed',
              `condition-coverage ${JSON.stringify(truncate(String(condition)))} in ${filename}:${number} has no (covered/valid) count`,
            );
          }
          const branch = { covered: Number(match[1]), valid: Number(match[2]) };
          const previous = branchCounts.get(key);
          if (!previous || branch.covered > previous.covered) branchCounts.set(key, branch);
        }
      }
    }
  }

  let linesCovered = 0;
  for (const covered of lineHits.values()) if (covered) linesCovered += 1;
  let branchesCovered = 0;
  let branchesValid = 0;
  for (const branch of branchCounts.values()) {
    branchesCovered += branch.covered;
    branchesValid += branch.valid;
  }
  return {
    lines: { covered: linesCovered, valid: lineHits.size },
    branches: branchCounts.size > 0 ? { covered: branchesCovered, valid: branchesValid } : null,
  };
}

function children(parent: unknown, name: string): Record<string, unknown>[] {
  if (!isRecord(parent)) return [];
  const value = parent[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter(isRecord);
}
