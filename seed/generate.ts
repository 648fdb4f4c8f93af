/**
 * `generateWorld`: the demo operator, built deterministically from a seed. See world.ts for the
 * shape; topology.ts / access.ts for the network; the other steps for BSS data.
 */
import { buildBilling } from './billing.js';
import { buildCatalog } from './catalog.js';
import { SCALES, type Ctx } from './context.js';
import { buildCustomers, EXAMPLE_CUSTOMER_ID } from './customers.js';
import { buildFaults } from './faults.js';
import { busiestFibreLink } from './impact.js';
import { buildInteractions } from './interactions.js';
import { buildOrders } from './orders.js';
import { Rng } from './rng.js';
import { buildSliceServices } from './services.js';
import { buildTopology } from './topology.js';
import type { Scale, World } from './world.js';

export { EPOCH } from './rng.js';

/**
 * Builds the whole world for a scale. Pure and deterministic: the same `(scale, seed)` always
 * yields a deep-equal world (no clock, no Math.random). `small` ≈ 200 customers; `large` ≥ 10,000
 * customers behind `landmarks.bigFibreLinkId`.
 */
export function generateWorld(scale: Scale, seed = 42): World {
  const root = new Rng(seed);
  const ctx = newContext(scale, root);
  // Each step draws from its own stream, so changing one step leaves the others' data unchanged.
  const step = <T>(label: string, run: (c: Ctx) => T): T => {
    ctx.rng = root.fork(label);
    return run(ctx);
  };
  ctx.world.offerings = buildCatalog();
  for (const o of ctx.world.offerings) ctx.offeringById.set(o.id, o);
  step('topology', buildTopology);
  step('customers', buildCustomers);
  step('slices', buildSliceServices);
  step('orders', buildOrders);
  step('billing', buildBilling);
  const outage = step('faults', buildFaults);
  step('interactions', (c) => buildInteractions(c, outage));
  ctx.world.landmarks.bigFibreLinkId = busiestFibreLink(ctx.world);
  return ctx.world;
}

function newContext(scale: Scale, rng: Rng): Ctx {
  return {
    scale,
    params: SCALES[scale],
    rng,
    world: {
      scale, customers: [], interactions: [], offerings: [], productOrders: [], serviceOrders: [], services: [], resources: [],
      billingAccounts: [], alarms: [], measurements: [],
      landmarks: { bigFibreLinkId: '', exampleCustomerId: EXAMPLE_CUSTOMER_ID, exampleServiceId: 'svc-5g-001' },
    },
    regions: [],
    customerById: new Map(),
    customerRegion: new Map(),
    resourceById: new Map(),
    serviceById: new Map(),
    offeringById: new Map(),
    counters: new Map(),
  };
}
