import { toCsv } from './csv';

describe('toCsv', () => {
  it('writes a header of every key, quotes what needs it and defuses formulas', () => {
    expect(
      toCsv([
        { a: 1, b: 'x,y' },
        { a: null, c: { k: '"v"' }, b: '=SUM(A1)' },
      ]),
    ).toBe('a,b,c\r\n1,"x,y",\r\n,\'=SUM(A1),"{""k"":""\\""v\\""""}"\r\n');
  });
});
