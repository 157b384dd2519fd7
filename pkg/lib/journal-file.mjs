// The journal as a file (Node: the CLI, the Vite plugin, the GitHub Action): one snapshot line
// followed by append-only record lines, as `job.journalUpdate()` hands them out. A snapshot
// replaces the file atomically (a temp file with a random name, created exclusively with mode
// 0600 so that nothing planted at that name is followed, synced, renamed over the journal); a
// record is appended to the journal (never following a symlink) and synced before the call it
// describes is sent — so a write costs O(that call), not O(job), and a crash mid-write leaves at
// most a torn last line, which resume ignores. `Job.resume(readFileSync(path, 'utf8'))` reads it.

import { openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync, mkdirSync, constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** Replaces `path` with `text`, owner-only and atomically. */
export function writePrivate(path, text) {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
}

/** Appends `text` to the existing file `path` (no symlink followed, nothing created) and syncs it. */
function appendPrivate(path, text) {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * A `writeJournal` for `runJob` that keeps the journal at `path` (its directory is created).
 * `onError(error)` may turn a failed write into the caller's own error (it should throw).
 */
export function journalFile(path, onError = (e) => { throw e; }) {
  mkdirSync(dirname(path), { recursive: true });
  return (write) => {
    try {
      if (write.kind === 'snapshot') writePrivate(path, `${write.text}\n`);
      else appendPrivate(path, `${write.text}\n`);
    } catch (e) {
      onError(e);
    }
  };
}
