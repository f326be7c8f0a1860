import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

/**
 * Reads a file that synth was told to read, as UTF-8, only if it is a regular file (links
 * followed). A FIFO would block synth forever and `/dev/zero` would fill its memory (issue 9), so
 * anything else fails with code `EISDIR` (a folder) or `ENOTREG` without reading a byte; the
 * FIFO is opened non-blocking so that even opening it cannot hang.
 */
export function readRegularFile(file: string): string {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const code = stat.isDirectory() ? 'EISDIR' : 'ENOTREG';
      throw Object.assign(new Error(`${code}: ${file}`), { code });
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** Why a file could not be read, for a message: never the file's content. */
export function unreadableReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTREG') return 'is not a regular file (a device, FIFO or socket); name a file';
  return `cannot be read (${code ?? 'error'})`;
}
