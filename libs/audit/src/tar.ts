/**
 * The export bundle's container: a POSIX ustar archive, written and read here (a few dozen lines, no
 * dependency), readable by any tar. Paths longer than ustar's 100 + 155 bytes get a PAX `path` record.
 * Reading is strict, since a verifier must say when an archive was cut short or damaged.
 */
const BLOCK = 512;

export interface TarFile {
  path: string;
  content: Buffer;
}

export class TarFormatError extends Error {
  override readonly name = 'TarFormatError';
  constructor(
    readonly check: 'archive-truncated' | 'archive-corrupt',
    message: string,
  ) {
    super(message);
  }
}

function header(name: string, size: number, type: '0' | 'x', prefix = ''): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 'ascii');
  block.write('0000000\0', 108, 'ascii');
  block.write('0000000\0', 116, 'ascii');
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  // A fixed time: the same export content gives the same bytes.
  block.write('00000000000\0', 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write(type, 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

const padding = (size: number): Buffer => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

function splitPath(path: string): { name: string; prefix: string } | null {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    const prefix = path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { name, prefix };
  }
  return null;
}

/** The blocks of one file: its header(s), content and padding to the block size. */
export function tarEntry(path: string, content: Buffer): Buffer[] {
  const split = splitPath(path);
  const blocks: Buffer[] = [];
  if (split) blocks.push(header(split.name, content.length, '0', split.prefix));
  else {
    const body = `path=${path}\n`;
    // A PAX record's length counts its own digits.
    let length = Buffer.byteLength(body) + 2;
    for (
      let total = Buffer.byteLength(`${length} ${body}`);
      total !== length;
      total = Buffer.byteLength(`${length} ${body}`)
    ) {
      length = total;
    }
    const record = Buffer.from(`${length} ${body}`, 'utf8');
    blocks.push(header('PaxHeader', record.length, 'x'), record, padding(record.length));
    blocks.push(header(path.slice(-100), content.length, '0'));
  }
  blocks.push(content, padding(content.length));
  return blocks;
}

/** Two zero blocks end an archive. */
export const tarEnd = (): Buffer => Buffer.alloc(BLOCK * 2);

const text = (block: Buffer, start: number, length: number): string => {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
};

/** Where a file's content lies in an archive. */
export interface TarIndexEntry {
  path: string;
  offset: number;
  size: number;
}

/** Reads `length` bytes at `offset` (fewer at the end of the archive). */
export type ReadAt = (offset: number, length: number) => Buffer;

/**
 * The files of an archive and where their contents lie, reading only headers: a verifier can then read one file
 * at a time from disk instead of holding the archive in memory. Fails with a named check when the archive is cut
 * short or damaged.
 */
export function indexTar(read: ReadAt, archiveBytes: number): TarIndexEntry[] {
  const entries: TarIndexEntry[] = [];
  let offset = 0;
  let paxPath: string | null = null;
  for (;;) {
    if (offset + BLOCK > archiveBytes) {
      throw new TarFormatError(
        'archive-truncated',
        `the archive ends at byte ${archiveBytes} inside a header or before its end marker`,
      );
    }
    const block = read(offset, BLOCK);
    if (block.every((byte) => byte === 0)) {
      if (offset + 2 * BLOCK > archiveBytes)
        throw new TarFormatError('archive-truncated', 'the archive lacks its end marker');
      return entries;
    }
    const stored = Number.parseInt(text(block, 148, 8).trim(), 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
    if (stored !== sum)
      throw new TarFormatError('archive-corrupt', `the header at byte ${offset} fails its checksum`);
    const size = Number.parseInt(text(block, 124, 12).trim() || '0', 8);
    const type = text(block, 156, 1) || '0';
    const start = offset + BLOCK;
    if (start + size > archiveBytes) {
      throw new TarFormatError(
        'archive-truncated',
        `"${text(block, 0, 100)}" needs ${size} bytes, the archive ends ${archiveBytes - start} bytes in`,
      );
    }
    offset = start + size + ((BLOCK - (size % BLOCK)) % BLOCK);
    if (type === 'x') {
      const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(read(start, size).toString('utf8'));
      paxPath = match ? match[1]! : null;
      continue;
    }
    if (type !== '0') continue;
    const prefix = text(block, 345, 155);
    const name = text(block, 0, 100);
    entries.push({ path: paxPath ?? (prefix ? `${prefix}/${name}` : name), offset: start, size });
    paxPath = null;
  }
}

/** Every file of an archive in memory, in order; the contents are views into the archive, not copies. */
export function readTar(archive: Buffer): TarFile[] {
  return indexTar((offset, length) => archive.subarray(offset, offset + length), archive.length).map(
    (entry) => ({ path: entry.path, content: archive.subarray(entry.offset, entry.offset + entry.size) }),
  );
}
