import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCobertura } from './cobertura.parser';
import { CoverageParseError } from './errors';

const fixture = (name: string): string => readFileSync(join(__dirname, '__fixtures__', name), 'utf8');

function aCoberturaReport(rootAttributes: string, body = ''): string {
  return `<?xml version="1.0" ?>\n<coverage ${rootAttributes} version="7.6.1">${body}</coverage>\n`;
}

function expectError(run: () => unknown, code: CoverageParseError['code'], message: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CoverageParseError);
  const error = caught as CoverageParseError;
  expect(error.format).toBe('cobertura');
  expect(error.code).toBe(code);
  expect(error.message).toMatch(/^Cobertura XML: /);
  expect(error.message).toMatch(message);
}

describe('parseCobertura', () => {
  it('reads coverage.py x_xml gold file: 2 of 3 lines, no branch data', () => {
    const totals = parseCobertura(fixture('coveragepy-x.cobertura.xml'));
    expect(totals).toEqual({
      format: 'cobertura',
      linesCovered: 2,
      linesValid: 3,
      branchesCovered: null,
      branchesValid: null,
    });
    expect((100 * totals.linesCovered) / totals.linesValid).toBeCloseTo(66.67, 2);
  });

  it('reads coverage.py y_xml_branch gold file: 4 of 5 lines, 1 of 2 branches', () => {
    expect(parseCobertura(fixture('coveragepy-y-branch.cobertura.xml'))).toEqual({
      format: 'cobertura',
      linesCovered: 4,
      linesValid: 5,
      branchesCovered: 1,
      branchesValid: 2,
    });
  });

  it('takes the root counts as stated, not the rounded line-rate', () => {
    const xml = aCoberturaReport(
      'line-rate="0.3333" lines-covered="1" lines-valid="3" branches-covered="0" branches-valid="0"',
    );
    expect(parseCobertura(xml)).toMatchObject({ linesCovered: 1, linesValid: 3, branchesValid: null });
  });

  it('accepts a DOCTYPE that declares no entities (Java Cobertura writes one)', () => {
    const xml =
      '<?xml version="1.0"?>\n<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">\n' +
      '<coverage lines-covered="3" lines-valid="4" branches-covered="2" branches-valid="4"><sources/><packages/></coverage>';
    expect(parseCobertura(xml)).toMatchObject({
      linesCovered: 3,
      linesValid: 4,
      branchesCovered: 2,
      branchesValid: 4,
    });
  });

  it('counts <line> elements when the root has only rates, once per file and line', () => {
    // a.py: lines 1 (hit), 2 (hit, branch 1/2), 3 (miss); line 2 repeated under a second class.
    // b.py: line 1 (miss). → lines 2/4, branches 1/2.
    const body = `
      <packages><package name="p">
        <classes>
          <class name="A" filename="a.py"><methods/><lines>
            <line number="1" hits="1"/>
            <line number="2" hits="3" branch="true" condition-coverage="50% (1/2)"/>
            <line number="3" hits="0"/>
          </lines></class>
          <class name="A$Inner" filename="a.py"><lines>
            <line number="2" hits="0" branch="true" condition-coverage="0% (0/2)"/>
          </lines></class>
          <class name="B" filename="b.py"><lines><line number="1" hits="0"/></lines></class>
        </classes>
      </package></packages>`;
    expect(parseCobertura(aCoberturaReport('line-rate="0.5" branch-rate="0.5"', body))).toEqual({
      format: 'cobertura',
      linesCovered: 2,
      linesValid: 4,
      branchesCovered: 1,
      branchesValid: 2,
    });
  });

  it('rejects a billion-laughs document before parsing it', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE coverage [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<coverage lines-covered="1" lines-valid="1" version="&lol3;"/>`;
    expectError(() => parseCobertura(xml), 'unsafe', /entit/i);
  });

  it('rejects an external entity (XXE)', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE coverage [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<coverage lines-covered="1" lines-valid="1"><sources><source>&xxe;</source></sources></coverage>`;
    expectError(() => parseCobertura(xml), 'unsafe', /XXE/);
  });

  it('rejects truncated XML with the position', () => {
    const xml = fixture('coveragepy-y-branch.cobertura.xml');
    expectError(
      () => parseCobertura(xml.slice(0, Math.floor(xml.length / 2))),
      'malformed',
      /invalid XML at line \d+/,
    );
  });

  it('rejects a document whose root is not <coverage>', () => {
    expectError(() => parseCobertura('<testsuites tests="3"/>'), 'malformed', /root element is <testsuites>/);
  });

  it('rejects non-numeric counts instead of producing NaN', () => {
    expectError(
      () =>
        parseCobertura(
          aCoberturaReport('lines-covered="two" lines-valid="3" branches-covered="0" branches-valid="0"'),
        ),
      'malformed',
      /lines-covered is not a non-negative integer: "two"/,
    );
  });

  it('rejects more lines covered than valid', () => {
    expectError(
      () =>
        parseCobertura(
          aCoberturaReport('lines-covered="4" lines-valid="3" branches-covered="0" branches-valid="0"'),
        ),
      'malformed',
      /lines covered \(4\) exceeds lines valid \(3\)/,
    );
  });

  it('rejects a report with neither totals nor lines', () => {
    expectError(
      () => parseCobertura(aCoberturaReport('line-rate="1"', '<packages/>')),
      'malformed',
      /no <line> elements/,
    );
  });
});
