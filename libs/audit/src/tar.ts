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

/** Every file of an archive, in order. Fails with a named check when the archive is cut short or damaged. */
export function readTar(archive: Buffer): TarFile[] {
  const files: TarFile[] = [];
  let offset = 0;
  let paxPath: string | null = null;
  for (;;) {
    if (offset + BLOCK > archive.length) {
      throw new TarFormatError(
        'archive-truncated',
        `the archive ends at byte ${archive.length} inside a header or before its end marker`,
      );
    }
    const block = archive.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) {
      if (offset + 2 * BLOCK > archive.length)
        throw new TarFormatError('archive-truncated', 'the archive lacks its end marker');
      return files;
    }
    const stored = Number.parseInt(text(block, 148, 8).trim(), 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
    if (stored !== sum)
      throw new TarFormatError('archive-corrupt', `the header at byte ${offset} fails its checksum`);
    const size = Number.parseInt(text(block, 124, 12).trim() || '0', 8);
    const type = text(block, 156, 1) || '0';
    const start = offset + BLOCK;
    if (start + size > archive.length) {
      throw new TarFormatError(
        'archive-truncated',
        `"${text(block, 0, 100)}" needs ${size} bytes, the archive ends ${archive.length - start} bytes in`,
      );
    }
    const content = archive.subarray(start, start + size);
    offset = start + size + ((BLOCK - (size % BLOCK)) % BLOCK);
    if (type === 'x') {
      const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(content.toString('utf8'));
      paxPath = match ? match[1]! : null;
      continue;
    }
    if (type !== '0') continue;
    const prefix = text(block, 345, 155);
    const name = text(block, 0, 100);
    // A view into the archive, not a copy: a verifier holds one bundle in memory, not two.
    files.push({ path: paxPath ?? (prefix ? `${prefix}/${name}` : name), content });
    paxPath = null;
  }
}
