// `npm run compose` rewrites schema/supergraph.graphql from the six subgraph SDLs;
// `npm run compose:check` (--check) only verifies that the checked-in file is current, for CI.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { composeSupergraph, SUPERGRAPH_PATH } from './compose.js';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--check');
if (unknown.length > 0) {
  console.error(`Unknown argument(s): ${unknown.join(' ')}\nUsage: tsx schema/compose-cli.ts [--check]`);
  process.exit(2);
}

const file = relative(process.cwd(), SUPERGRAPH_PATH) || SUPERGRAPH_PATH;
let fresh: string;
try {
  fresh = composeSupergraph();
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}

if (args.includes('--check')) {
  const current = existsSync(SUPERGRAPH_PATH) ? readFileSync(SUPERGRAPH_PATH, 'utf8') : undefined;
  if (current !== fresh) {
    const what = current === undefined ? 'is missing' : 'is stale: it differs from a fresh composition of schema/*.graphql';
    console.error(`${file} ${what}.\nRun \`npm run compose\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${file} is up to date.`);
} else {
  writeFileSync(SUPERGRAPH_PATH, fresh);
  console.log(`Wrote ${file}.`);
}
