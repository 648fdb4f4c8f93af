import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../../seed/generate.js';
import { demandFor, fits, parseBandwidth } from '../fulfilment/demand.js';
import { chooseCandidate, type Candidate } from '../fulfilment/placement.js';

describe('bandwidth', () => {
  it('should read the rates the catalog offers, in Mbit/s', () => {
    expect(['50Mbps', '100Mbps', '300Mbps', '500Mbps', '1Gbps', '10Gbps'].map(parseBandwidth)).toEqual([50, 100, 300, 500, 1000, 10_000]);
    expect(parseBandwidth('2.5 Gbps')).toBe(2500);
    expect(parseBandwidth('512kbps')).toBe(0.512);
  });

  it('should refuse what is not a positive rate', () => {
    expect(['', 'fast', '1 Gb', 'Gbps', '0Mbps', '-1Gbps', '1e3Mbps'].map(parseBandwidth)).toEqual(Array(7).fill(null));
  });
});

describe('demand rule', () => {
  it('should take the bandwidth itself from capacities counted in bit rates', () => {
    expect(demandFor('Gbps', 1000)).toEqual({ ok: true, amount: 1 });
    expect(demandFor('Gbps', 100)).toEqual({ ok: true, amount: 0.1 });
    expect(demandFor('Mbps', 500)).toEqual({ ok: true, amount: 500 });
  });

  it('should take one PRB per started 5 Mbit/s on radio capacity', () => {
    expect([50, 100, 500, 1000, 1001].map((mbps) => demandFor('PRB', mbps))).toEqual([10, 20, 100, 200, 201].map((amount) => ({ ok: true, amount })));
  });

  it('should take one port or one ONT leg per service whatever its bandwidth, and no OLT port', () => {
    expect(demandFor('port', 10_000)).toEqual({ ok: true, amount: 1 });
    expect(demandFor('ONT', null)).toEqual({ ok: true, amount: 1 });
    expect(demandFor('PON port', 1000)).toEqual({ ok: true, amount: 0 });
  });

  it('should need a bandwidth for bit-rate and radio capacity, and not size units it does not know', () => {
    expect(demandFor('PRB', null)).toEqual({ ok: false, reason: 'NEEDS_BANDWIDTH' });
    expect(demandFor('Gbps', null)).toEqual({ ok: false, reason: 'NEEDS_BANDWIDTH' });
    expect(demandFor('erlang', 1000)).toEqual({ ok: false, reason: 'UNKNOWN_UNIT' });
  });

  it('should fit exactly to the last unit, despite float error', () => {
    expect(fits({ total: 20, used: 19, unit: 'Gbps' }, 1)).toBe(true);
    expect(fits({ total: 20, used: 19.01, unit: 'Gbps' }, 1)).toBe(false);
    expect(fits({ total: 0.3, used: 0.1 + 0.1, unit: 'Gbps' }, 0.1)).toBe(true);
  });

  it('should let the seed example (5G_PREMIUM at 1Gbps for CUST-789) fit on the resources of its svc-5g-001 in the small world', () => {
    const world = generateWorld('small');
    const example = world.services.find((s) => s.id === 'svc-5g-001')!;
    expect(example.supportingResourceIds).toEqual(['gNB-001', 'slice-5g-001']);
    for (const id of example.supportingResourceIds) {
      const capacity = world.resources.find((r) => r.id === id)!.capacity!;
      const demand = demandFor(capacity.unit, 1000);
      expect(demand.ok && fits(capacity, demand.amount), `${id}: ${JSON.stringify(capacity)}`).toBe(true);
    }
    // And every gNB of the small world can take one such service: the rule is not tuned to gNB-001.
    for (const gnb of world.resources.filter((r) => r.category === 'GNB')) expect(fits(gnb.capacity!, 200), gnb.id).toBe(true);
  });
});

describe('candidate choice', () => {
  const gbps = (id: string, total: number, used: number): Candidate => ({ _id: id, capacity: { total, used, unit: 'Gbps' } });

  it("should prefer a resource the customer's services already use, even with less free capacity", () => {
    const choice = chooseCandidate([gbps('slice-a', 40, 0), gbps('slice-b', 20, 15)], 1000, new Set(['slice-b']));
    expect(choice).toMatchObject({ kind: 'chosen', candidate: { _id: 'slice-b' }, amount: 1 });
  });

  it('should spread requests of customers without own resources over comparably free resources, the same way for the same key', () => {
    const slices = [gbps('s1', 40, 0), gbps('s2', 40, 5), gbps('s3', 40, 10), gbps('s4', 40, 30)];
    const chosen = new Set(Array.from({ length: 40 }, (_, i) => (chooseCandidate(slices, 1000, new Set(), `SO-${i}/1`) as { candidate: Candidate }).candidate._id));
    // s4 has less than half the best one's room: never chosen; the three comparable ones share the load.
    expect([...chosen].sort()).toEqual(['s1', 's2', 's3']);
    expect(chooseCandidate(slices, 1000, new Set(), 'SO-7/1')).toEqual(chooseCandidate(slices, 1000, new Set(), 'SO-7/1'));
    // The customer's own resource still wins over spreading.
    expect(chooseCandidate(slices, 1000, new Set(['s4']), 'SO-7/1')).toMatchObject({ candidate: { _id: 's4' } });
  });

  it('should otherwise take the most free capacity, then the smallest id', () => {
    expect(chooseCandidate([gbps('b', 20, 5), gbps('a', 20, 10), gbps('c', 30, 15)], 1000, new Set())).toMatchObject({ candidate: { _id: 'b' } });
    expect(chooseCandidate([gbps('c', 20, 5), gbps('a', 30, 15)], 1000, new Set())).toMatchObject({ candidate: { _id: 'a' } });
  });

  it("should skip resources without room, also the customer's own", () => {
    expect(chooseCandidate([gbps('own', 20, 19.5), gbps('other', 20, 10)], 1000, new Set(['own']))).toMatchObject({ candidate: { _id: 'other' } });
    expect(chooseCandidate([gbps('own', 20, 19.5)], 1000, new Set(['own']))).toEqual({ kind: 'none' });
  });

  it('should take a resource without capacity at no cost, and never one whose unit it cannot size', () => {
    expect(chooseCandidate([{ _id: 'ont-1', capacity: null }], null, new Set())).toMatchObject({ kind: 'chosen', amount: 0 });
    expect(chooseCandidate([{ _id: 'x', capacity: { total: 10, used: 0, unit: 'erlang' } }], 1000, new Set())).toEqual({ kind: 'none' });
  });

  it('should ask for a bandwidth when the capacity is counted in bit rates or PRBs', () => {
    expect(chooseCandidate([{ _id: 'gNB-1', capacity: { total: 819, used: 0, unit: 'PRB' } }], null, new Set())).toEqual({ kind: 'needsBandwidth', unit: 'PRB' });
  });
});
