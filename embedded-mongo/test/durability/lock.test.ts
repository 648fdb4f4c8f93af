import { spawnSync } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/durability/journal.js';
import { silentLogger } from '../../src/types.js';
import { captureLogger, makeTmpDir, removeTmpDirs, spawnWriter } from './fixtures/helpers.js';

afterEach(removeTmpDirs);

/** A pid that certainly belonged to a process which has exited. */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', '']);
  return pid!;
}

describe('mongod.lock', () => {
  it('refuses a second open of the same dbPath while the first is open', async () => {
    const dir = await makeTmpDir();
    const { journal } = await Journal.open(dir, silentLogger);
    expect((await readFile(join(dir, 'mongod.lock'), 'utf8')).trim()).toBe(String(process.pid));
    await expect(Journal.open(dir, silentLogger)).rejects.toThrow(/already in use by a running server/);
    await journal.append({ still: 'works' }); // the failed open did not disturb the holder
    await journal.close();
    expect(await readdir(dir)).not.toContain('mongod.lock');
    const { journal: again, recovered } = await Journal.open(dir, silentLogger);
    expect(recovered.records).toEqual([{ still: 'works' }]);
    await again.close();
  });

  it('takes over a stale lock left by a dead process', async () => {
    const dir = await makeTmpDir();
    const pid = deadPid();
    await writeFile(join(dir, 'mongod.lock'), `${pid}\n`);
    const log = captureLogger();
    const { journal } = await Journal.open(dir, log);
    expect(log.warns.join('\n')).toContain(`stale lock`);
    expect((await readFile(join(dir, 'mongod.lock'), 'utf8')).trim()).toBe(String(process.pid));
    await journal.close();
  });

  it('treats a lock naming our own pid (left by an earlier process with the same pid) as stale', async () => {
    const dir = await makeTmpDir();
    await writeFile(join(dir, 'mongod.lock'), `${process.pid}\n`);
    const { journal } = await Journal.open(dir, silentLogger);
    await journal.close();
  });

  it('is held by a live server process and taken over after that process is killed', async () => {
    const dir = await makeTmpDir();
    const holder = spawnWriter(dir, 'hold');
    await holder.ready;
    const error = await Journal.open(dir, silentLogger).then(
      () => null,
      (err: Error) => err,
    );
    expect(error?.message).toContain(`pid ${holder.child.pid}`);
    expect(error?.message).toContain(join(dir, 'mongod.lock'));
    holder.child.kill('SIGKILL');
    await holder.exited;
    const { journal } = await Journal.open(dir, silentLogger);
    await journal.close();
  });
});
