import { appendFile, chmod, lstat, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The local stack's files hold pupil data (database, outbox, dead letters) and its DynamoDB
 * key, so they are readable by their owner only. Modes are explicit, not left to the umask:
 * a umask can only remove bits, so the result is never wider than these.
 */
export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

export async function makePrivateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: privateDirMode });
}

export async function writePrivateFile(path: string, data: string | Uint8Array, flag = 'w'): Promise<void> {
  await writeFile(path, data, { mode: privateFileMode, flag });
}

export async function appendPrivateFile(path: string, data: string): Promise<void> {
  await appendFile(path, data, { mode: privateFileMode });
}

/**
 * Takes group and other bits off a folder and everything under it (`.local/` from versions
 * that created it 755/644). Symlinks are left alone: chmod would follow them out of the tree.
 * Returns how many entries were tightened.
 */
export async function tightenTree(path: string): Promise<number> {
  const info = await lstat(path).catch(() => undefined);
  if (!info || info.isSymbolicLink()) return 0;
  let tightened = 0;
  if ((info.mode & 0o077) !== 0) {
    await chmod(path, info.mode & 0o700);
    tightened++;
  }
  if (info.isDirectory()) {
    for (const name of await readdir(path)) tightened += await tightenTree(join(path, name));
  }
  return tightened;
}
