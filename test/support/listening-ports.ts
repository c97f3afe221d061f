import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Which TCP ports a set of processes listen on, from Linux's /proc: /proc/net/tcp{,6} list
 * listening sockets by inode, /proc/<pid>/fd links to `socket:[inode]`. Nothing here connects
 * anywhere, so it finds whatever the stack starts (DynamoDB Local, the HTTP API, an emulator
 * added later), in this process or in any child.
 */
export interface ListeningSocket {
  pid: number;
  address: string;
  port: number;
  loopback: boolean;
  /** 0.0.0.0 or :: (every interface). */
  wildcard: boolean;
}

const listenState = '0A';

/** /proc/net/tcp{,6} store each 32-bit word of the address in host (little-endian) order. */
function addressBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    const chunk = hex.slice(word, word + 8);
    for (let byte = 3; byte >= 0; byte--) bytes.push(parseInt(chunk.slice(byte * 2, byte * 2 + 2), 16));
  }
  return bytes;
}

function describeAddress(bytes: number[]): { address: string; loopback: boolean; wildcard: boolean } {
  const v4 = bytes.length === 4 ? bytes : bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff ? bytes.slice(12) : undefined;
  if (v4) return { address: v4.join('.'), loopback: v4[0] === 127, wildcard: v4.every((b) => b === 0) };
  const groups = Array.from({ length: 8 }, (_, n) => ((bytes[2 * n]! << 8) | bytes[2 * n + 1]!).toString(16));
  const loopback = bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1;
  const wildcard = bytes.every((b) => b === 0);
  return { address: wildcard ? '::' : loopback ? '::1' : groups.join(':'), loopback, wildcard };
}

/** Listening sockets in one /proc/net/tcp or tcp6 text, by inode. */
export function parseProcNetTcp(text: string): Map<string, Omit<ListeningSocket, 'pid'>> {
  const sockets = new Map<string, Omit<ListeningSocket, 'pid'>>();
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== listenState) continue;
    const [hexAddress, hexPort] = fields[1]!.split(':') as [string, string];
    sockets.set(fields[9]!, { ...describeAddress(addressBytes(hexAddress)), port: parseInt(hexPort, 16) });
  }
  return sockets;
}

/** `pid` and every process below it (children of children too). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses.
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited while we looked
    }
  }
  const tree = [pid];
  for (let index = 0; index < tree.length; index++) {
    for (const [child, parent] of parents) if (parent === tree[index]) tree.push(child);
  }
  return tree;
}

function socketInodes(pid: number): string[] {
  const inodes: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.push(match[1]!);
    } catch {
      // closed while we looked
    }
  }
  return inodes;
}

/** Every TCP socket that `pids` listen on. */
export function listeningSockets(pids: number[]): ListeningSocket[] {
  const all = new Map([...parseProcNetTcp(readFileSync('/proc/net/tcp', 'utf8')), ...parseProcNetTcp(readFileSync('/proc/net/tcp6', 'utf8'))]);
  return pids.flatMap((pid) =>
    socketInodes(pid).flatMap((inode) => {
      const socket = all.get(inode);
      return socket ? [{ pid, ...socket }] : [];
    }),
  );
}
