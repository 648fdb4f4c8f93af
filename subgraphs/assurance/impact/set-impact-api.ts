import type { AppConfig } from '../../../kit/config.js';
import { querySubgraph } from '../../../kit/remote.js';

/** A set of failed resources, as assurance asks inventory about it. */
export interface ResourceSet {
  /** Names the set's content: two alarms with one set share one question. */
  key: string;
  /** The root cause's resource first: inventory walks only what lies outside its closure. */
  resourceIds: string[];
  /** Big sets (groups) are sent once and then named by `key` (inventory's `rememberAs`). */
  remember: boolean;
}

/** One piece of a set's impact: the counts, a window of services or customers, or every customer id. */
export type ImpactPart =
  | { kind: 'counts' }
  | { kind: 'services'; offset: number; limit: number }
  | { kind: 'customers'; offset: number; limit: number }
  | { kind: 'allCustomerIds' };

/** An impacted customer and its failing services, by id. */
export interface CustomerIds {
  customerId: string;
  serviceIds: string[];
}

/** What inventory answers for one set: the counts plus the parts asked for. */
export interface SetImpactReply {
  serviceCount: number;
  customerCount: number;
  /** Names the impacted customer set by content (for the customer subgraph's remembered tallies). */
  customerSetKey: string;
  [part: `p${number}`]: string[] | CustomerIds[];
}

/** Selection of one part under its alias; windows are validated integers, so inlining them is safe. */
function partSelection(part: ImpactPart, alias: string): string {
  switch (part.kind) {
    case 'counts':
      return '';
    case 'services':
      return `${alias}: serviceIds(offset: ${part.offset}, limit: ${part.limit})`;
    case 'customers':
      return `${alias}: customers(offset: ${part.offset}, limit: ${part.limit}) { customerId serviceIds }`;
    case 'allCustomerIds':
      return `${alias}: allCustomerIds`;
  }
}

const partKey = (part: ImpactPart) => JSON.stringify(part);

interface Ask {
  set: ResourceSet;
  parts: ImpactPart[];
}

/** One alias per distinct part of a set (in order), and the selection asking for them. */
function selectionOf(parts: readonly ImpactPart[]): { selection: string; aliases: Map<string, `p${number}`> } {
  const aliases = new Map<string, `p${number}`>();
  const selections = ['serviceCount', 'customerCount', 'customerSetKey'];
  for (const part of parts) {
    const key = partKey(part);
    if (aliases.has(key)) continue;
    const alias = `p${aliases.size}` as const;
    aliases.set(key, alias);
    selections.push(partSelection(part, alias));
  }
  return { selection: selections.filter(Boolean).join(' '), aliases };
}

/**
 * One request for several sets: a set to remember is named by its key (`byName`), or sent with
 * its ids and the key to remember it under; other sets are sent with their ids. Null replies
 * are named sets inventory does not remember.
 */
async function ask(config: AppConfig, asks: readonly Ask[], byName: boolean): Promise<(SetImpactReply | null)[]> {
  const variables: Record<string, string | string[]> = {};
  const declared: string[] = [];
  const fields = asks.map(({ set, parts }, i) => {
    const { selection } = selectionOf(parts);
    if (set.remember) {
      variables[`k${i}`] = set.key;
      declared.push(`$k${i}: String!`);
    }
    if (set.remember && byName) return `s${i}: rememberedResourceSetImpact(setKey: $k${i}) { ${selection} }`;
    variables[`s${i}`] = set.resourceIds;
    declared.push(`$s${i}: [ID!]!`);
    return `s${i}: resourceSetImpact(resourceIds: $s${i}${set.remember ? `, rememberAs: $k${i}` : ''}) { ${selection} }`;
  });
  const data = await querySubgraph<Record<string, SetImpactReply | null>>(config, 'inventory', `query (${declared.join(', ')}) { ${fields.join(' ')} }`, variables);
  return asks.map((_, i) => data[`s${i}`]);
}

/**
 * Asks inventory's `resourceSetImpact` about several sets and parts in ONE request, one alias
 * per set and per distinct part, so an alarm's `impact`, `impactedServices` and
 * `impactedCustomers` (and those of every alarm in a list) cost one round trip; a big set it does
 * not remember (first time, or another instance) costs one more, with the ids. Resolves, per
 * set key, with the reply and the alias of each part.
 */
export async function fetchSetImpacts(config: AppConfig, asks: ReadonlyMap<string, Ask>) {
  const list = [...asks.values()];
  const replies = await ask(config, list, true);
  const unknown = list.filter((_, i) => replies[i] === null);
  if (unknown.length) {
    const sent = await ask(config, unknown, false);
    unknown.forEach((a, i) => (replies[list.indexOf(a)] = sent[i]));
  }
  return new Map(list.map(({ set, parts }, i) => {
    const { aliases } = selectionOf(parts);
    return [set.key, { reply: replies[i]!, aliasOf: (part: ImpactPart) => aliases.get(partKey(part))! }];
  }));
}
