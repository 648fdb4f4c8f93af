import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { customerWorld } from './fixture.js';

const sut = useSubgraphUnderTest(subgraph, customerWorld);

const CUSTOMER_360 = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      id name status segment slaTier
      engagedParty {
        __typename
        ... on Organization { name tradingName isLegalEntity }
        ... on Individual { givenName familyName birthDate }
      }
      contactMedium { mediumType preferred emailAddress phoneNumber street city postCode country }
      creditProfile { creditProfileDate creditScore creditRiskRating validFor { startDateTime endDateTime } }
      validFor { startDateTime endDateTime }
    }
  }`;

describe('customer(id)', () => {
  it('should return the seed-document enterprise customer with its organization, contacts and credit profile', async () => {
    const res = await sut.query(CUSTOMER_360, { id: 'CUST-789' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.customer).toEqual({
      id: 'CUST-789',
      name: 'Acme Logistics GmbH',
      status: 'ACTIVE',
      segment: 'ENTERPRISE',
      slaTier: 'GOLD',
      engagedParty: { __typename: 'Organization', name: 'Acme Logistics GmbH', tradingName: 'Acme Logistics', isLegalEntity: true },
      contactMedium: [
        { mediumType: 'EMAIL', preferred: true, emailAddress: 'cust-789@example.com', phoneNumber: null, street: null, city: null, postCode: null, country: null },
        { mediumType: 'PHONE', preferred: true, emailAddress: null, phoneNumber: '+49300000789', street: null, city: null, postCode: null, country: null },
        { mediumType: 'POSTAL_ADDRESS', preferred: true, emailAddress: null, phoneNumber: null, street: 'Hauptstraße 789', city: 'Berlin', postCode: '10115', country: 'DE' },
      ],
      creditProfile: [
        { creditProfileDate: '2025-01-01T00:00:00.000Z', creditScore: 780, creditRiskRating: 1, validFor: { startDateTime: '2025-01-01T00:00:00.000Z', endDateTime: null } },
      ],
      validFor: { startDateTime: '2025-01-01T00:00:00.000Z', endDateTime: null },
    });
  });

  it('should return a consumer as an individual without an SLA tier', async () => {
    const res = await sut.query(CUSTOMER_360, { id: 'CUST-101' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.customer).toMatchObject({
      id: 'CUST-101',
      status: 'SUSPENDED',
      segment: 'CONSUMER',
      slaTier: null,
      engagedParty: { __typename: 'Individual', givenName: 'Bernd', familyName: 'Müller', birthDate: '1975-11-02T00:00:00.000Z' },
      creditProfile: [{ creditScore: 420, creditRiskRating: 5 }],
    });
  });

  it('should return null without errors for an unknown id', async () => {
    const res = await sut.query(CUSTOMER_360, { id: 'CUST-DOES-NOT-EXIST' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ customer: null });
  });

  it('should read one customer with a single database command', async () => {
    const res = await sut.query(CUSTOMER_360, { id: 'CUST-789' });
    expect(res.extensions?.dbCommands).toBe(1);
  });
});
