import { CoverageParseError } from './errors';

/**
 * Bounds on the shape of an XML report, checked by one linear scan before any XML parser runs.
 * The XML parser costs ~10 µs per attribute and builds an object per element: one element with
 * 500 000 attributes took 12 s and 1 GB. A Cobertura report needs a handful of attributes per
 * element (`<line number hits branch condition-coverage>`), a nesting depth under ten, and
 * about one element per covered source line — even a large monorepo stays far below these.
 */
export interface XmlShapeLimits {
  readonly maxElements: number;
  readonly maxAttributes: number;
  readonly maxAttributesPerElement: number;
  readonly maxDepth: number;
}

export const DEFAULT_XML_SHAPE_LIMITS: XmlShapeLimits = {
  maxElements: 1_000_000,
  maxAttributes: 3_000_000,
  maxAttributesPerElement: 64,
  maxDepth: 64,
};

export interface XmlShape {
  elements: number;
  attributes: number;
  maxDepth: number;
}

const LT = 0x3c; // <
const GT = 0x3e; // >
const SLASH = 0x2f; // /
const BANG = 0x21; // !
const QUESTION = 0x3f; // ?
const EQUALS = 0x3d; // =
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/**
 * Counts elements, attributes and nesting depth, throwing a `too_large` CoverageParseError as
 * soon as a limit is passed (so a hostile document costs at most one pass up to that point).
 * Only counts: well-formedness is left to the XML validator that runs afterwards.
 */
export function assertXmlShape(text: string, limits: XmlShapeLimits = DEFAULT_XML_SHAPE_LIMITS): XmlShape {
  const tooLarge = (detail: string) =>
    new CoverageParseError(
      'cobertura',
      'too_large',
      `${detail}; a coverage report never needs that many — upload the report as your coverage tool writes it`,
    );
  let elements = 0;
  let attributes = 0;
  let depth = 0;
  let deepest = 0;
  const n = text.length;
  let i = text.indexOf('<');
  while (i !== -1 && i < n) {
    const next = text.charCodeAt(i + 1);
    if (next === BANG) {
      // Comment, CDATA or DOCTYPE: skip to its end.
      const end = text.startsWith('<!--', i)
        ? text.indexOf('-->', i + 4)
        : text.startsWith('<![CDATA[', i)
          ? text.indexOf(']]>', i + 9)
          : text.indexOf('>', i + 2);
      if (end === -1) break;
      i = text.indexOf('<', end + 1);
      continue;
    }
    if (next === QUESTION) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) break;
      i = text.indexOf('<', end + 2);
      continue;
    }
    if (next === SLASH) {
      depth = Math.max(0, depth - 1);
      const end = text.indexOf('>', i + 2);
      if (end === -1) break;
      i = text.indexOf('<', end + 1);
      continue;
    }
    // An element's start tag: count '=' outside quoted values as attributes.
    elements += 1;
    if (elements > limits.maxElements) {
      throw tooLarge(`the report has more than ${limits.maxElements} XML elements`);
    }
    let own = 0;
    let quote = 0;
    let j = i + 1;
    let selfClosing = false;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === DQUOTE || c === SQUOTE) {
        quote = c;
      } else if (c === EQUALS) {
        own += 1;
        if (own > limits.maxAttributesPerElement) {
          throw tooLarge(`an XML element has more than ${limits.maxAttributesPerElement} attributes`);
        }
      } else if (c === GT) {
        selfClosing = text.charCodeAt(j - 1) === SLASH;
        break;
      } else if (c === LT) {
        break; // malformed; the validator will say where
      }
    }
    attributes += own;
    if (attributes > limits.maxAttributes) {
      throw tooLarge(`the report has more than ${limits.maxAttributes} XML attributes`);
    }
    if (!selfClosing) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (depth > limits.maxDepth) {
        throw tooLarge(`XML elements are nested more than ${limits.maxDepth} levels deep`);
      }
    }
    i = text.indexOf('<', j);
  }
  return { elements, attributes, maxDepth: deepest };
}
