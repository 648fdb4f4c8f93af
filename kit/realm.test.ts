import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { expect, it } from 'vitest';

it('should keep one graphql realm so GraphQLError codes survive Apollo', async () => {
  const schema = buildSubgraphSchema([{ typeDefs: parse('type Query { boom: Int }'), resolvers: { Query: { boom: () => { throw new GraphQLError('x', { extensions: { code: 'BAD_USER_INPUT' } }); } } } }]);
  const server = new ApolloServer({ schema });
  const res = await server.executeOperation({ query: '{ boom }' });
  expect(res.body.kind === 'single' && res.body.singleResult.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});
