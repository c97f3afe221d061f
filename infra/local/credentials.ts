import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writePrivateFile } from '../../shared/adapters/local/private-files';

/**
 * The key to the local stack's database. DynamoDB Local listens on every interface (it has
 * no bind option) and checks no signature, but without `-sharedDb` it keeps one database per
 * access key id and region. So the access key id is the secret: 128 random bits, made once
 * per data folder and kept there owner-only (0600); any other key opens an empty database.
 * See docs/data-protection.md, "The local stack".
 */
export interface LocalCredentials {
  accessKeyId: string;
  /** Required by the SDK to sign; DynamoDB Local does not check it. */
  secretAccessKey: string;
}

export const credentialsFileName = 'credentials.json';

/** DynamoDB Local only takes letters and digits in an access key id; hex is both. */
const accessKeyIdPattern = /^local[0-9a-f]{32}$/;

export function randomLocalCredentials(): LocalCredentials {
  return { accessKeyId: `local${randomBytes(16).toString('hex')}`, secretAccessKey: randomBytes(16).toString('hex') };
}

/** The key stored in `dataDir` (the CLI and tests read it; they run as the stack's user). */
export async function readLocalCredentials(dataDir: string): Promise<LocalCredentials> {
  const file = join(dataDir, credentialsFileName);
  const stored = JSON.parse(await readFile(file, 'utf8')) as Partial<LocalCredentials>;
  if (!accessKeyIdPattern.test(stored.accessKeyId ?? '') || typeof stored.secretAccessKey !== 'string') {
    throw new Error(`${file} is not a local stack key: delete it (and the database it opened) or start with --fresh`);
  }
  return { accessKeyId: stored.accessKeyId!, secretAccessKey: stored.secretAccessKey };
}

/** Reads the folder's key, or makes one on first start (`wx`: never replaces a key). */
export async function ensureLocalCredentials(dataDir: string): Promise<LocalCredentials> {
  try {
    return await readLocalCredentials(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const created = randomLocalCredentials();
  try {
    await writePrivateFile(join(dataDir, credentialsFileName), JSON.stringify(created), 'wx');
    return created;
  } catch (error) {
    // Another start made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readLocalCredentials(dataDir);
    throw error;
  }
}
