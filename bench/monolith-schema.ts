import {
  buildASTSchema, defaultFieldResolver, getNamedType, GraphQLError, GraphQLScalarType, isAbstractType, isCompositeType, isEnumType, isObjectType, isScalarType, Kind, parse, printSchema,
  type ConstDirectiveNode, type FieldNode, type GraphQLResolveInfo, type GraphQLSchema,
} from 'graphql';
import type { SubgraphContext, SubgraphModule } from '../kit/subgraph.js';
import { composeSubgraphs } from '../schema/compose.js';

type Path = GraphQLResolveInfo['path'];
type Fn = (parent: unknown, args: unknown, ctx: unknown, info: GraphQLResolveInfo) => unknown;
type ResolverMap = Record<string, unknown>;

/** Per request: each subgraph's own `{ models, loaders, config }`, made on first use (fresh loaders per request, as each subgraph does). */
export class MonolithContext {
  private readonly made = new Map<string, SubgraphContext>();
  constructor(private readonly factories: ReadonlyMap<string, () => SubgraphContext>) {}
  of(name: string): SubgraphContext {
    let ctx = this.made.get(name);
    if (!ctx) this.made.set(name, (ctx = this.factories.get(name)!()));
    return ctx;
  }
}

/** Who may answer what, read from the subgraph SDLs: the same facts the query planner uses. */
interface Ownership {
  /** type → field → subgraphs that define it without `@external`, in registry order. */
  owners: Map<string, Map<string, string[]>>;
  /** type → subgraph → fields of its first resolvable `@key` (only subgraphs that can resolve references). */
  keys: Map<string, Map<string, string[]>>;
}

const argument = (d: ConstDirectiveNode, name: string) => d.arguments?.find((a) => a.name.value === name)?.value;

function ownership(modules: readonly SubgraphModule[]): Ownership {
  const owners = new Map<string, Map<string, string[]>>();
  const keys = new Map<string, Map<string, string[]>>();
  for (const m of modules) {
    for (const def of m.typeDefs.definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      const type = def.name.value;
      for (const d of def.directives ?? []) {
        if (d.name.value !== 'key') continue;
        const fields = argument(d, 'fields');
        const resolvable = argument(d, 'resolvable');
        if (resolvable?.kind === Kind.BOOLEAN && !resolvable.value) continue;
        const names = fields?.kind === Kind.STRING ? fields.value.trim().split(/\s+/) : [];
        // Nested keys would need selection-shaped representations; none exist here, so fail loudly.
        if (names.some((n) => /[{}]/.test(n))) throw new Error(`monolith: composite @key on ${m.name}.${type} is not supported`);
        if (!keys.has(type)) keys.set(type, new Map());
        if (!keys.get(type)!.has(m.name)) keys.get(type)!.set(m.name, names);
      }
      for (const f of def.fields ?? []) {
        const directives = new Set((f.directives ?? []).map((d) => d.name.value));
        if (directives.has('requires') || directives.has('provides')) throw new Error(`monolith: @requires/@provides on ${m.name}.${type}.${f.name.value} is not supported`);
        if (directives.has('external')) continue;
        if (!owners.has(type)) owners.set(type, new Map());
        const list = owners.get(type)!.get(f.name.value) ?? [];
        owners.get(type)!.set(f.name.value, [...list, m.name]);
      }
    }
  }
  return { owners, keys };
}

/** What a field that returns objects records for its children: who produced them, and under which selection. */
interface Tag {
  origin: string;
  fieldNodes: readonly FieldNode[];
  /** `listIndex|subgraph` → that subgraph's view of the entity at that position (one reference resolution each). */
  views: Map<string, Promise<unknown>>;
}

// Keyed by graphql-js Path objects: a child's `info.path.prev` (past list indexes) IS the path object
// its parent field ran with, so this identifies one response position without building strings, and
// an object shared by two positions (a cached loader document) can carry two different origins.
const tags = new WeakMap<Path, Tag>();

function parentOf(path: Path): { tag: Tag | undefined; index: string } {
  let p = path.prev;
  let index = '';
  while (p && typeof p.key === 'number') {
    index = `${p.key}.${index}`;
    p = p.prev;
  }
  if (p && !tags.has(p)) throw new Error(`monolith: no origin recorded for ${String(p.key)}`);
  return { tag: p && tags.get(p), index };
}

function resolverOf(map: ResolverMap | undefined, type: string, field: string): Fn | undefined {
  const entry = (map?.[type] as Record<string, unknown> | undefined)?.[field];
  if (typeof entry === 'function') return entry as Fn;
  if (entry && typeof entry === 'object' && typeof (entry as { resolve?: unknown }).resolve === 'function') return (entry as { resolve: Fn }).resolve;
  return undefined;
}

/**
 * The federated supergraph as one executable schema over the six subgraphs' own resolvers: the API
 * schema of the composition, each field answered by the subgraph that produced its parent object when
 * that subgraph defines the field, otherwise by an owning subgraph after resolving the parent through
 * the owner's `__resolveReference` (exactly what the gateway's `_entities` fetch does, minus HTTP).
 */
export function buildMonolithSchema(modules: readonly SubgraphModule[]): GraphQLSchema {
  const schema = buildASTSchema(parse(printSchema(composeSubgraphs().schema.toAPISchema().toGraphQLJSSchema())));
  const maps = new Map(modules.map((m) => [m.name as string, m.resolvers as ResolverMap]));
  const own = ownership(modules);

  /** The owner's selection only, so e.g. customer's summary-vs-full read decides as it does behind the gateway. */
  const ownedSelection = (nodes: readonly FieldNode[], type: string, s: string): FieldNode[] =>
    nodes.map((node) => node.selectionSet ? {
      ...node,
      selectionSet: { ...node.selectionSet, selections: node.selectionSet.selections.filter((sel) => sel.kind !== Kind.FIELD || sel.name.value === '__typename' || own.owners.get(type)?.get(sel.name.value)?.includes(s)) },
    } : node);

  async function resolveReference(tag: Tag, s: string, type: string, source: unknown, ctx: MonolithContext, info: GraphQLResolveInfo): Promise<unknown> {
    const keyFields = own.keys.get(type)?.get(s);
    if (!keyFields) throw new GraphQLError(`monolith: ${type} cannot be resolved in subgraph '${s}' (no resolvable @key)`);
    const rep: Record<string, unknown> = { __typename: type };
    for (const k of keyFields) {
      // The key as the producing subgraph exposes it (inventory's Resource.id maps `_id`).
      const fn = resolverOf(maps.get(tag.origin), type, k);
      const value = fn ? fn(source, {}, ctx.of(tag.origin), info) : (source as Record<string, unknown>)[k];
      rep[k] = value instanceof Promise ? await value : value;
    }
    const ref = resolverOf(maps.get(s), type, '__resolveReference') as ((r: unknown, c: unknown, i: GraphQLResolveInfo) => unknown) | undefined;
    return ref ? ref(rep, ctx.of(s), { ...info, fieldNodes: ownedSelection(tag.fieldNodes, type, s) }) : rep;
  }

  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isScalarType(type)) {
      const impl = modules.map((m) => (m.resolvers as ResolverMap)[type.name]).find((r): r is GraphQLScalarType => r instanceof GraphQLScalarType);
      if (impl) Object.assign(type, { serialize: impl.serialize, parseValue: impl.parseValue, parseLiteral: impl.parseLiteral });
    } else if (isEnumType(type)) {
      if (modules.some((m) => (m.resolvers as ResolverMap)[type.name])) throw new Error(`monolith: enum value maps (${type.name}) are not supported`);
    } else if (isAbstractType(type)) {
      // graphql-js hands resolveType the field's own info, so its path is where the producer's tag lives.
      type.resolveType = (value, ctx: MonolithContext, info) => {
        const origin = tags.get(info.path)?.origin;
        const fn = origin ? (resolverOf(maps.get(origin), type.name, '__resolveType') as ((v: unknown, c: unknown, i: GraphQLResolveInfo) => string) | undefined) : undefined;
        return fn ? fn(value, ctx.of(origin!), info) : (value as { __typename?: string }).__typename;
      };
    } else if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        const owners = own.owners.get(type.name)?.get(field.name);
        if (!owners?.length) throw new Error(`monolith: no subgraph defines ${type.name}.${field.name}`);
        const producesObjects = isCompositeType(getNamedType(field.type));
        const entityOwner = owners.find((s) => own.keys.get(type.name)?.has(s)) ?? owners[0];
        const run = (s: string, parent: unknown, args: unknown, ctx: MonolithContext, info: GraphQLResolveInfo) => {
          if (producesObjects) tags.set(info.path, { origin: s, fieldNodes: info.fieldNodes, views: new Map() });
          const fn = resolverOf(maps.get(s), type.name, field.name);
          return (fn ?? (defaultFieldResolver as Fn))(parent, args, ctx.of(s), info);
        };
        field.resolve = (source, args, ctx: MonolithContext, info) => {
          const { tag, index } = parentOf(info.path);
          if (!tag) return run(owners[0], source, args, ctx, info); // a root field
          if (owners.includes(tag.origin)) return run(tag.origin, source, args, ctx, info);
          const key = `${index}|${entityOwner}`;
          let view = tag.views.get(key);
          if (!view) tag.views.set(key, (view = resolveReference(tag, entityOwner, type.name, source, ctx, info)));
          return view.then((v) => (v == null ? null : run(entityOwner, v, args, ctx, info)));
        };
      }
    }
  }
  return schema;
}
