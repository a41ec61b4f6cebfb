import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCobertura } from './cobertura.parser';
import { CoverageParseError } from './errors';
import { assertXmlShape } from './xml-shape';

const limits = { maxElements: 10, maxAttributes: 20, maxAttributesPerElement: 3, maxDepth: 4 };

function refusal(run: () => unknown): CoverageParseError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CoverageParseError);
    return error as CoverageParseError;
  }
  throw new Error('expected a refusal');
}

describe('assertXmlShape', () => {
  it('counts elements, attributes and depth, skipping comments, CDATA, declarations and quoted values', () => {
    const shape = assertXmlShape(
      `<?xml version="1.0"?><!DOCTYPE coverage><!-- <a b="1"/> --><coverage a="x=y" b='>'><![CDATA[<c d="1"/>]]><p><l n="1"/></p></coverage>`,
      limits,
    );
    expect(shape).toEqual({ elements: 3, attributes: 3, maxDepth: 2 });
  });

  it('reads the recorded coverage.py reports unchanged', () => {
    for (const name of ['coveragepy-x.cobertura.xml', 'coveragepy-y-branch.cobertura.xml']) {
      const text = readFileSync(join(__dirname, '__fixtures__', name), 'utf8');
      expect(assertXmlShape(text).elements).toBeGreaterThan(5);
    }
  });

  it.each([
    ['too many attributes on one element', '<coverage a="1" b="2" c="3" d="4"/>', /more than 3 attributes/],
    ['too many elements', `<r>${'<l/>'.repeat(10)}</r>`, /more than 10 XML elements/],
    [
      'too many attributes in all',
      `<r>${'<l a="1" b="1" c="1"/>'.repeat(7)}</r>`,
      /more than 20 XML attributes/,
    ],
    ['nesting too deep', '<a><b><c><d><e></e></d></c></b></a>', /nested more than 4 levels/],
  ])('refuses %s as too_large with a message saying which', (_what, xml, message) => {
    const error = refusal(() => assertXmlShape(xml, limits));
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(message);
  });

  it('refuses the 500 000-attribute report before the XML parser sees it', () => {
    const hostile = `<coverage${Array.from({ length: 500_000 }, (_, i) => ` a${i}="1"`).join('')}/>`;
    const error = refusal(() => parseCobertura(hostile));
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(/more than 64 attributes/);
  });
});
