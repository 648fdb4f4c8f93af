const FORCE_EXIT_MS = 20_000;

/**
 * Runs `stop` once on SIGINT/SIGTERM, then exits. Repeated signals while stopping are ignored:
 * a terminal's Ctrl-C reaches every process of the group, and tsx relays it to its child once
 * more, so one keypress can arrive twice. A stop that hangs is cut off after 20 s.
 */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    setTimeout(() => {
      console.error('stop took too long; exiting');
      process.exit(1);
    }, FORCE_EXIT_MS).unref();
    stop().then(
      () => process.exit(0),
      (err: Error) => {
        console.error(`shutdown failed: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
