import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../util/errors.ts';

/**
 * A minimal reader for the tar files image tools write (ustar, with pax and GNU long-name
 * extensions). It walks headers by seeking, so a multi-gigabyte image tarball costs one 512-byte
 * read per member; only the small members asked for are read into memory.
 */
export interface TarMember {
  name: string;
  type: string;
  size: number;
  /** Byte offset of the member's data in the archive. */
  offset: number;
}

export const MAX_TAR_MEMBERS = 1_000_000;
/** Largest member read into memory (index.json, manifest.json, manifests). */
export const MAX_TAR_READ = 16 * 1024 * 1024;

const BLOCK = 512;

function tarError(file: string, message: string): InputError {
  return new InputError('TAR_INVALID', message, { file });
}

function readField(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

function readSize(header: Buffer, file: string): number {
  const field = header.subarray(124, 136);
  if (((field[0] ?? 0) & 0x80) !== 0) {
    // GNU base-256: big-endian binary in the remaining bytes.
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    if (!Number.isSafeInteger(value)) throw tarError(file, 'member size is out of range');
    return value;
  }
  const text = readField(header, 124, 12).trim();
  if (text === '') return 0;
  if (!/^[0-7]{1,12}$/.test(text))
    throw tarError(file, `member size field ${JSON.stringify(text)} is not octal`);
  return Number.parseInt(text, 8);
}

function checksumOk(header: Buffer): boolean {
  const stored = readField(header, 148, 8).trim();
  if (!/^[0-7]{1,8}$/.test(stored)) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  return sum === Number.parseInt(stored, 8);
}

function paxPath(data: Buffer): string | undefined {
  // Records are "<len> key=value\n".
  let position = 0;
  let found: string | undefined;
  while (position < data.length) {
    const space = data.indexOf(0x20, position);
    if (space === -1) break;
    const length = Number.parseInt(data.subarray(position, space).toString('ascii'), 10);
    if (!Number.isSafeInteger(length) || length <= 0 || position + length > data.length) break;
    const record = data.subarray(space + 1, position + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0 && record.slice(0, equals) === 'path') found = record.slice(equals + 1);
    position += length;
  }
  return found;
}

export class TarArchive {
  readonly file: string;
  readonly members: Map<string, TarMember>;
  readonly #fd: number;

  private constructor(file: string, fd: number, members: Map<string, TarMember>) {
    this.file = file;
    this.#fd = fd;
    this.members = members;
  }

  /** Opens an archive and indexes its member names (normalised: no leading "./"). */
  static open(file: string): TarArchive {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (error) {
      throw new InputError('SUBJECT_NOT_FOUND', `cannot open ${file}: ${(error as Error).message}`, { file });
    }
    try {
      return new TarArchive(file, fd, TarArchive.#index(file, fd));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  static #index(file: string, fd: number): Map<string, TarMember> {
    const total = fstatSync(fd).size;
    const members = new Map<string, TarMember>();
    const header = Buffer.alloc(BLOCK);
    let position = 0;
    let pendingName: string | undefined;
    let count = 0;
    while (position + BLOCK <= total) {
      if (readSync(fd, header, 0, BLOCK, position) !== BLOCK) throw tarError(file, 'truncated header');
      if (header.every((byte) => byte === 0)) break;
      if (!checksumOk(header))
        throw tarError(file, `bad header checksum at byte ${position}; not a tar file?`);
      if (++count > MAX_TAR_MEMBERS) throw tarError(file, `more than ${MAX_TAR_MEMBERS} members`);
      const size = readSize(header, file);
      const type = String.fromCharCode(header[156] || 0x30);
      const dataOffset = position + BLOCK;
      if (dataOffset + size > total) throw tarError(file, 'member data runs past the end of the archive');
      if (type === 'x' || type === 'L') {
        const data = TarArchive.#readAt(file, fd, dataOffset, size);
        pendingName = type === 'L' ? readField(data, 0, data.length) : paxPath(data);
      } else if (type !== 'g') {
        const magic = readField(header, 257, 6);
        const prefix = magic.startsWith('ustar') ? readField(header, 345, 155) : '';
        const base = readField(header, 0, 100);
        const name = normalise(pendingName ?? (prefix ? `${prefix}/${base}` : base));
        pendingName = undefined;
        members.set(name, { name, type, size, offset: dataOffset });
      }
      position = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    }
    return members;
  }

  static #readAt(file: string, fd: number, offset: number, size: number): Buffer {
    if (size > MAX_TAR_READ) throw tarError(file, `member is larger than ${MAX_TAR_READ} bytes`);
    const buffer = Buffer.alloc(size);
    let done = 0;
    while (done < size) {
      const read = readSync(fd, buffer, done, size - done, offset + done);
      if (read === 0) throw tarError(file, 'unexpected end of archive');
      done += read;
    }
    return buffer;
  }

  has(name: string): boolean {
    return this.members.has(normalise(name));
  }

  /** A regular member's bytes, or undefined when absent. */
  read(name: string): Buffer | undefined {
    const member = this.members.get(normalise(name));
    if (!member) return undefined;
    if (member.type !== '0' && member.type !== '\0' && member.type !== '7') {
      throw tarError(this.file, `${member.name} is not a regular file`);
    }
    return TarArchive.#readAt(this.file, this.#fd, member.offset, member.size);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

function normalise(name: string): string {
  let out = name;
  while (out.startsWith('./')) out = out.slice(2);
  return out;
}
