import { describe, expect, it } from 'vitest';
import { flaggedEstimate, thresholdForShare } from './charts';

const h = { edges: [0, 1, 2, 3, 4], counts: [50, 30, 15, 5] };

describe('threshold helpers', () => {
  it('counts rows above a cut, splitting the bin it falls in', () => {
    expect(flaggedEstimate(h, 3)).toBe(5);
    expect(flaggedEstimate(h, 2.5)).toBe(13);
    expect(flaggedEstimate(h, 0)).toBe(100);
    expect(flaggedEstimate(h, 9)).toBe(0);
  });

  it('finds the cut that flags a share of rows', () => {
    expect(thresholdForShare(h, 0.05)).toBeCloseTo(3);
    expect(thresholdForShare(h, 0.2)).toBeCloseTo(2);
    expect(flaggedEstimate(h, thresholdForShare(h, 0.1))).toBe(10);
    expect(thresholdForShare(h, 1)).toBe(0);
  });
});
