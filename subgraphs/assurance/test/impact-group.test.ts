import { describe, expect, it } from 'vitest';
import type { AlarmState } from '../domain.js';
import { Group, type PackedEvents } from '../impact/group-cache.js';

/** Events as the outbox packs them: [seq, parentAlarmId, resourceId, state]. */
function events(...rows: [number, string | null, string, AlarmState][]): PackedEvents {
  return { seq: rows.map((r) => r[0]), parentAlarmId: rows.map((r) => r[1]), resourceId: rows.map((r) => r[2]), state: rows.map((r) => r[3]) };
}

const group = (mark: number, ...ids: string[]) => new Group(mark, Date.now(), new Set(ids));

describe('a root cause group catching up with the outbox', () => {
  it('should add the resources of new active children, keep the order ascending and move its mark', () => {
    const g = group(10, 'ont-2');
    expect(g.catchUp('ROOT', events([11, 'ROOT', 'ont-3', 'RAISED'], [12, 'ROOT', 'ont-1', 'UPDATED'], [13, 'ROOT', 'ont-2', 'UPDATED']), 13)).toBe(true);
    expect(g.resourceIds()).toEqual(['ont-1', 'ont-2', 'ont-3']);
    expect(g.mark).toBe(13);
  });

  it('should ask for a re-read when a counted resource may lose its last child', () => {
    // Cleared, or moved to another root, or no longer a child at all: another child may or may not still hold ont-1.
    for (const [parent, state] of [['ROOT', 'CLEARED'], ['OTHER', 'RAISED'], [null, 'RAISED']] as const) {
      expect(group(10, 'ont-1').catchUp('ROOT', events([11, parent, 'ont-1', state]), 11), `${parent} ${state}`).toBe(false);
    }
  });

  it('should leave the group as it was when it must be re-read, even for a resource it had just added', () => {
    const g = group(10, 'ont-1');
    expect(g.catchUp('ROOT', events([11, 'ROOT', 'ont-2', 'RAISED'], [12, 'ROOT', 'ont-2', 'CLEARED']), 12)).toBe(false);
    expect(g.resourceIds()).toEqual(['ont-1']);
    expect(g.mark).toBe(10);
  });

  it('should ignore events that cannot change the group', () => {
    const g = group(10, 'ont-1');
    const unrelated = events(
      [9, 'ROOT', 'ont-9', 'RAISED'], // already counted in the mark
      [11, 'OTHER', 'ont-5', 'RAISED'], // another group, another resource
      [12, 'ROOT', 'ont-6', 'CLEARED'], // a cleared child that was never counted
      [13, null, 'fibre-001', 'UPDATED'], // the root itself
    );
    expect(g.catchUp('ROOT', unrelated, 13)).toBe(true);
    expect(g.resourceIds()).toEqual(['ont-1']);
  });

  it('should never move its mark backwards when a slower request catches up to an older position', () => {
    const g = group(10);
    g.catchUp('ROOT', events([11, 'ROOT', 'ont-1', 'RAISED'], [12, 'ROOT', 'ont-2', 'RAISED']), 12);
    expect(g.catchUp('ROOT', events([11, 'ROOT', 'ont-1', 'RAISED']), 11)).toBe(true);
    expect(g.mark).toBe(12);
    expect(g.isCurrent(12, Date.now())).toBe(true);
  });

  it('should not catch up from far behind or after its re-read period', () => {
    expect(group(10).canCatchUp(10 + 20_000, Date.now())).toBe(true);
    expect(group(10).canCatchUp(10 + 20_001, Date.now())).toBe(false);
    expect(new Group(10, Date.now() - 61_000, new Set()).canCatchUp(11, Date.now())).toBe(false);
  });
});
