import { sparklineGeometry } from './sparkline';

describe('sparklineGeometry', () => {
  it('breaks the line at gaps instead of drawing through zero', () => {
    const g = sparklineGeometry([100, 50, null, 0, 100], 44, 24, [0, 100], 2);
    expect(g.d).toBe('M2 2 L12 12 M32 22 L42 2');
    expect(g.dots).toEqual([]);
    expect(g.last).toEqual({ x: 42, y: 2 });
  });
  it('marks isolated points as dots and handles all-gap input', () => {
    expect(sparklineGeometry([null, 50, null], 24, 24, [0, 100], 2).dots).toEqual([{ x: 12, y: 12 }]);
    expect(sparklineGeometry([null, null], 24, 24)).toEqual({ d: '', dots: [], last: null });
  });
});
