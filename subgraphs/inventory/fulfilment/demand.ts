/**
 * How much of a resource's capacity one service takes — the demand rule. Pure: no database.
 *
 * A service asks for a `bandwidth` (characteristic value such as `100Mbps`, `1Gbps`); what that
 * takes from a resource depends on the unit the resource's capacity is counted in:
 *
 * | unit       | resources (seed)                            | demand of one service                      |
 * |------------|---------------------------------------------|--------------------------------------------|
 * | `Gbps`     | network slice, access port, links, routers  | the bandwidth in Gbit/s (guaranteed, no overbooking) |
 * | `Mbps`     | (none yet)                                  | the bandwidth in Mbit/s                    |
 * | `PRB`      | gNB (3 cells × 273 PRBs), cell              | ⌈bandwidth / 5 Mbit/s⌉ physical resource blocks |
 * | `port`     | access router                               | 1: the service's attachment takes a port   |
 * | `ONT`      | PON port (1:64 split)                       | 1: the customer's ONT takes a split leg    |
 * | `PON port` | OLT                                         | 0: a subscriber joins an already lit PON port; lighting ports is network planning, not an order |
 *
 * PRB rate: an n78 cell (100 MHz TDD, 30 kHz subcarriers, 273 PRBs) carries ≈ 1.4 Gbit/s downlink
 * in good conditions (4-layer MIMO, 256-QAM, ~74 % downlink slots), ≈ 5 Mbit/s per PRB. Planning
 * at that nominal rate, a 1 Gbit/s guaranteed service holds 200 of its gNB's 819 PRBs, 500 Mbit/s
 * 100, 100 Mbit/s 20. On the small seed every gNB has ≥ 225 PRBs free (gNB-001: 373), so the seed
 * example (5G_PREMIUM at 1Gbps for CUST-789) fits on its gNB-001 and on slice-5g-001 (12.2 Gbps free).
 *
 * Resources without capacity need none (demand 0). A capacity in a unit this rule does not know
 * cannot be sized, so such a resource is never chosen.
 */

/** Nominal downlink rate of one physical resource block, Mbit/s (see above). */
export const MBPS_PER_PRB = 5;

/** Capacity figures that let a small float error through (`0.1 + 0.2`), never a real unit. */
export const CAPACITY_EPSILON = 1e-9;

const MBPS_PER_PREFIX: Record<string, number> = { k: 0.001, m: 1, g: 1000, t: 1_000_000 };

/** Mbit/s of a bandwidth value such as `100Mbps`, `1Gbps`, `2.5 Gbps`; null when it is not one (or not positive). */
export function parseBandwidth(value: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt])bps\s*$/i.exec(value);
  if (!m) return null;
  const mbps = Number(m[1]) * MBPS_PER_PREFIX[m[2].toLowerCase()];
  return mbps > 0 ? mbps : null;
}

/** What one service takes from a capacity counted in `unit`, or why that cannot be said. */
export type Demand = { ok: true; amount: number } | { ok: false; reason: 'NEEDS_BANDWIDTH' | 'UNKNOWN_UNIT' };

const amount = (value: number): Demand => ({ ok: true, amount: value });

/** The demand rule above, for a service of `bandwidthMbps` (null: the service names none). */
export function demandFor(unit: string, bandwidthMbps: number | null): Demand {
  switch (unit) {
    case 'port':
    case 'ONT':
      return amount(1);
    case 'PON port':
      return amount(0);
    case 'Gbps':
    case 'Mbps':
    case 'PRB': {
      if (bandwidthMbps === null) return { ok: false, reason: 'NEEDS_BANDWIDTH' };
      if (unit === 'PRB') return amount(Math.ceil(bandwidthMbps / MBPS_PER_PRB - CAPACITY_EPSILON));
      // Whole kbit/s over a power of ten: `100Mbps` is the double nearest 0.1 Gbps, not 0.1 × 1.0000000001.
      const kbps = Math.round(bandwidthMbps * 1000);
      return amount(unit === 'Gbps' ? kbps / 1_000_000 : kbps / 1000);
    }
    default:
      return { ok: false, reason: 'UNKNOWN_UNIT' };
  }
}

/** A resource capacity as stored. */
export interface Capacity {
  total: number;
  used: number;
  unit: string;
}

/**
 * A capacity figure after adding or removing a demand, to the millionth of its unit: sums of
 * decimal figures drift in binary floats (7.78 + 1 − 1 = 7.780000000000001), and a release must
 * give back exactly what the reservation found.
 */
export const roundCapacity = (value: number): number => Math.round(value * 1e6) / 1e6;

/** Capacity still free; never negative. */
export const freeOf = (capacity: Capacity): number => Math.max(0, capacity.total - capacity.used);

/** Whether `demand` more fits: `used + demand ≤ total`, up to float error. */
export const fits = (capacity: Capacity, demand: number): boolean => capacity.used + demand <= capacity.total + CAPACITY_EPSILON;
