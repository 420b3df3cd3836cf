import { InputError } from '../../util/errors.ts';
import { MAX_FILE_BYTES } from './limits.ts';

/** A lockfile that parsed but does not have the shape its format requires. */
export function formatError(file: string, message: string, line?: number): InputError {
  return new InputError('LOCKFILE_FORMAT', `${file}: ${message}`, { file, line });
}

export function checkSize(text: string, file: string): void {
  // Characters, not bytes, but a UTF-16 length never exceeds the UTF-8 byte length.
  if (text.length > MAX_FILE_BYTES) {
    throw new InputError(
      'FILE_TOO_LARGE',
      `${file} is larger than ${MAX_FILE_BYTES} bytes; refusing to read it`,
      {
        file,
      },
    );
  }
}
