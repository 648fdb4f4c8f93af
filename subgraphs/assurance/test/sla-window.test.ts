import { describe, expect, it } from 'vitest';
import { penaltyEstimate } from '../sla/terms.js';
import { applyWindows, windowAverages, type SeriesPoint } from '../sla/window.js';

const MIN = 60_000;
const perMinute = (values: number[]): SeriesPoint[] => values.map((value, i) => ({ end: (i + 1) * MIN, minutes: 1, value }));
const ends = (n: number) => Array.from({ length: n }, (_, i) => (i + 1) * MIN);

describe('SLA window arithmetic', () => {
  it('should average the points ending within the window before each time', () => {
    const averages = windowAverages(perMinute([1, 2, 3, 4, 5, 6, 7]), ends(7), 3 * MIN);
    expect(averages.map((a) => a.average)).toEqual([1, 1.5, 2, 3, 4, 5, 6]);
  });

  it('should weigh a coarser point by its minutes and skip times whose window is empty', () => {
    const points: SeriesPoint[] = [{ end: 15 * MIN, minutes: 15, value: 30 }, { end: 16 * MIN, minutes: 1, value: 14 }];
    expect(windowAverages(points, [15 * MIN, 16 * MIN, 40 * MIN], 5 * MIN)).toEqual([{ at: 15 * MIN, average: 30 }, { at: 16 * MIN, average: 29 }]);
  });

  it('should open on the first average above the target, track the worst and close on the first one within it', () => {
    const averages = [10, 21, 25, 20, 30, 19].map((average, i) => ({ at: i + 1, average }));
    expect(applyWindows(null, averages, 20)).toEqual([
      { start: 2, end: 4, actual: 25, lastBreachAt: 3 },
      { start: 5, end: 6, actual: 30, lastBreachAt: 5 },
    ]);
  });

  it('should continue an open violation', () => {
    const open = { start: 1, end: null, actual: 22, lastBreachAt: 1 };
    expect(applyWindows(open, [{ at: 2, average: 21 }], 20)).toEqual([{ start: 1, end: null, actual: 22, lastBreachAt: 2 }]);
    expect(open.lastBreachAt).toBe(1);
  });
});

describe('SLA credit', () => {
  const fee = { amount: 450, currency: 'EUR' };
  it("should credit the tier's share of the monthly fee per started hour, capped", () => {
    expect(penaltyEstimate('GOLD', fee, 0)).toEqual({ amount: 22.5, currency: 'EUR' });
    expect(penaltyEstimate('GOLD', fee, 61 * MIN)).toEqual({ amount: 45, currency: 'EUR' });
    expect(penaltyEstimate('GOLD', fee, 48 * 60 * MIN)).toEqual({ amount: 225, currency: 'EUR' });
    expect(penaltyEstimate('PLATINUM', fee, 3 * 60 * MIN)).toEqual({ amount: 135, currency: 'EUR' });
  });

  it('should estimate nothing without a fee or for a best-effort tier', () => {
    expect(penaltyEstimate('GOLD', null, MIN)).toBeNull();
    expect(penaltyEstimate('BRONZE', fee, MIN)).toBeNull();
  });
});
