import { stubOrNull } from '../../../kit/entity-stub.js';
import type { ChargeDoc, PaymentDoc } from '../models.js';
import { money } from './context.js';

/** Fields of the account's `Charge`s and `Payment`s (plain values: neither is an entity). */
export const chargeAndPaymentResolvers = {
  Charge: {
    id: (charge: ChargeDoc) => charge._id,
    price: (charge: ChargeDoc) => money(charge.amount, charge.currency),
    productOffering: (charge: ChargeDoc) => stubOrNull('ProductOffering', charge.productOfferingId),
    service: (charge: ChargeDoc) => stubOrNull('Service', charge.serviceId),
  },
  Payment: {
    id: (payment: PaymentDoc) => payment._id,
    totalAmount: (payment: PaymentDoc) => money(payment.amount, payment.currency),
  },
};
