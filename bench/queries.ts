/** The DESIGN.md Customer 360 query, with the customer as a variable so one text serves every key. */
export const CUSTOMER_360 = /* GraphQL */ `
  query Customer360($id: ID!) { customer(id: $id) {
    id name segment slaTier status
    productOrders { id state }
    services { id state activatedAt productOffering { id name }
      supportingResources { id name category alarms(state: RAISED) { id perceivedSeverity probableCause } } }
    billingAccount { id balance { amount currency } } } }`;

/** "Who is hurt if this resource fails?" — the impact benchmark's query. */
export const RESOURCE_IMPACT = /* GraphQL */ `
  query ResourceImpact($id: ID!) { resource(id: $id) {
    impactedCustomers(first: 10) { totalCount edges { node { id name segment slaTier } } } } }`;

/** The DESIGN.md alarm-impact query. */
export const ALARM_IMPACT = /* GraphQL */ `
  query AlarmImpact($id: ID!) { alarm(id: $id) { id perceivedSeverity state probableCause
    alarmedObject { id category
      impactedServices(first: 10) { totalCount edges { node { id customer { id name slaTier } } } }
      impactedCustomers(first: 10) { totalCount edges { node { id name segment slaTier } } } } } }`;

/** A serialized POST body. */
export const body = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });
