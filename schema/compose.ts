import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, Source, type DocumentNode } from 'graphql';
import { composeServices, type CompositionSuccess } from '@apollo/composition';

/** The six subgraphs in port order: customer serves on :4001, … assurance on :4006. */
export const SUBGRAPH_NAMES = ['customer', 'catalog', 'order', 'billing', 'inventory', 'assurance'] as const;

/** Name of one of the six subgraphs. */
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** A subgraph as `composeServices` takes it: name, default URL and parsed SDL. */
export interface SubgraphSdl {
  name: string;
  url: string;
  typeDefs: DocumentNode;
}

/** Absolute path of the checked-in, generated `schema/supergraph.graphql`. */
export const SUPERGRAPH_PATH = fileURLToPath(new URL('./supergraph.graphql', import.meta.url));

/**
 * Parses `schema/<name>.graphql`. The URL is a local default that the supergraph records;
 * the gateway overrides it at runtime from its config.
 */
export function loadSubgraphSdl(name: SubgraphName): SubgraphSdl {
  const path = fileURLToPath(new URL(`./${name}.graphql`, import.meta.url));
  // A named Source makes syntax errors point at the file, not at "GraphQL request".
  const typeDefs = parse(new Source(readFileSync(path, 'utf8'), path));
  return { name, url: `http://localhost:${4001 + SUBGRAPH_NAMES.indexOf(name)}/graphql`, typeDefs };
}

/** Parses the six subgraph SDLs, in port order. */
export function loadSubgraphSdls(): SubgraphSdl[] {
  return SUBGRAPH_NAMES.map(loadSubgraphSdl);
}

/** One line per composition error: `[CODE] message`. */
export function formatCompositionErrors(errors: readonly { message: string; extensions?: { code?: unknown } }[]): string[] {
  return errors.map((e) => `[${String(e.extensions?.code ?? 'UNKNOWN')}] ${e.message}`);
}

/**
 * Composes the subgraphs (the six SDLs by default) into a supergraph.
 * Throws an Error whose message lists every composition error with its code.
 */
export function composeSubgraphs(subgraphs: SubgraphSdl[] = loadSubgraphSdls()): CompositionSuccess {
  const result = composeServices(subgraphs);
  if (result.errors) {
    const lines = formatCompositionErrors(result.errors);
    throw new Error(`Supergraph composition failed with ${lines.length} error(s):\n${lines.map((l) => `  - ${l}`).join('\n')}`);
  }
  return result;
}

/**
 * The supergraph SDL, exactly as `schema/supergraph.graphql` holds it (newline-terminated).
 * Throws like `composeSubgraphs` when composition fails.
 */
export function composeSupergraph(subgraphs?: SubgraphSdl[]): string {
  const sdl = composeSubgraphs(subgraphs).supergraphSdl;
  return sdl.endsWith('\n') ? sdl : `${sdl}\n`;
}
