import { stub } from '../../../kit/entity-stub.js';
import type { PageArgs } from '../../../kit/pagination.js';
import type { ChargingProfileDoc } from '../models.js';
import { childConnection, type BillingContext } from './context.js';

/** The inventory subgraph owns `Service`; billing only knows its id and contributes its charges. */
interface ServiceRef {
  id: string;
}

/** What billing contributes to `Service`, and its `ChargingProfile`. */
export const serviceResolvers = {
  Service: {
    // No lookup: whether the service exists is inventory's business; billing answers what it holds for the id.
    __resolveReference: (ref: ServiceRef): ServiceRef => ({ id: ref.id }),
    charges: (service: ServiceRef, args: PageArgs, ctx: BillingContext) => childConnection(ctx.loaders.serviceChargePage, service.id, args, ctx),
    chargingProfile: (service: ServiceRef, _args: unknown, ctx: BillingContext) => ctx.loaders.chargingProfileByServiceId.load(service.id),
  },
  ChargingProfile: {
    // Non-null in the SDL: the profile is written with (or after) the account it names.
    billingAccount: (profile: ChargingProfileDoc, _args: unknown, ctx: BillingContext) => ctx.loaders.billingAccountById.load(profile.billingAccountId),
  },
};
