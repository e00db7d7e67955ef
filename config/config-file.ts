/**
 * Reads the config file's bytes without ever blocking or reading without end,
 * and turns them into text. CROSS_ACCOUNT_CONFIG can name anything: a FIFO
 * (opening it waits for a writer forever), /dev/zero (reading never ends), a
 * folder, a 50 MB log. So the path is checked with stat before it is opened,
 * opened non-blocking, checked again on the open file, and read up to a cap.
 * Every failure is a ConfigError naming the real cause.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, Stats } from "node:fs";
import { ConfigError, Problem } from "./problems";
import { errnoCode, fsReason, shortPath } from "../synth/fs-errors";

/** The largest config file read: a real config is a few kilobytes; 1 MiB leaves room and bounds the work. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

const ENV_VAR = "CROSS_ACCOUNT_CONFIG";
const SET_IT = `set ${ENV_VAR} to the path of your config JSON (e.g. ${ENV_VAR}=config/my-config.json npm run synth)`;

function fileProblem(file: string, message: string): ConfigError {
  const problem: Problem = { path: ENV_VAR, message: `${ENV_VAR}: "${shortPath(file)}" ${message}` };
  return new ConfigError([problem]);
}

/** What a path is when it is not a regular file, in words; undefined for a regular file. */
function notAFile(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return "a folder";
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

function checkKindAndSize(file: string, stats: Stats): void {
  const kind = notAFile(stats);
  if (kind === "a folder") throw fileProblem(file, `is a folder, not a file; ${SET_IT}`);
  if (kind !== undefined) {
    throw fileProblem(file, `is ${kind}, not a regular file; a config is a JSON file on disk; ${SET_IT}`);
  }
  if (stats.size > MAX_CONFIG_BYTES) throw tooBig(file, stats.size);
}

function tooBig(file: string, size: number | undefined): ConfigError {
  const what = size === undefined ? "is larger than 1 MiB" : `is ${size} bytes`;
  return fileProblem(
    file,
    `${what}; a config file is at most 1 MiB (${MAX_CONFIG_BYTES} bytes), a real one a few kilobytes; is it the right file?`,
  );
}

function unreadable(file: string, error: unknown, opening: boolean): ConfigError {
  const code = errnoCode(error);
  if (code === "ENOENT") return fileProblem(file, `does not exist; ${SET_IT}`);
  if (code === "EACCES" || code === "EPERM") {
    // stat needs only search (x) permission on the folders above; open needs read permission on the file itself.
    return opening
      ? fileProblem(file, "cannot be read (permission denied); check the file's permissions")
      : fileProblem(
          file,
          "cannot be reached (permission denied on a folder in its path); check the folders' permissions",
        );
  }
  return fileProblem(file, fsReason(error, file));
}

/**
 * The bytes of the config file at `file` (an absolute path). Throws a
 * ConfigError for anything but a readable regular file of at most 1 MiB.
 */
export function readConfigBytes(file: string): Buffer {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (error) {
    throw unreadable(file, error, false);
  }
  checkKindAndSize(file, stats);

  let fd: number;
  try {
    // O_NONBLOCK: should the path have become a FIFO since the stat, open returns at once instead of waiting for a writer.
    // (Windows has neither flag, nor FIFOs that block an open.)
    const flags =
      process.platform === "win32"
        ? constants.O_RDONLY
        : constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;
    fd = openSync(file, flags);
  } catch (error) {
    throw unreadable(file, error, true);
  }
  try {
    checkKindAndSize(file, fstatSync(fd));
    // Read one byte past the cap, so a file that grew since the stat is still refused rather than cut short.
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_CONFIG_BYTES) throw tooBig(file, undefined);
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw unreadable(file, error, true);
  } finally {
    closeSync(fd);
  }
}

/** Line and column (both from 1) of byte `offset` in UTF-8 `bytes`, counting characters. */
function byteLineAndColumn(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset).toString("utf8").split("\n");
  return { line: before.length, column: (before[before.length - 1] ?? "").length + 1 };
}

/** The UTF-16 or UTF-32 encoding `bytes` are in, judged by a byte-order mark or NUL bytes, if any. */
export function wideEncoding(bytes: Buffer): string | undefined {
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return "UTF-32 text (little-endian, with a byte-order mark)";
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return "UTF-32 text (big-endian, with a byte-order mark)";
  if (b0 === 0xff && b1 === 0xfe) return "UTF-16 text (little-endian, with a byte-order mark)";
  if (b0 === 0xfe && b1 === 0xff) return "UTF-16 text (big-endian, with a byte-order mark)";
  // JSON text is ASCII punctuation and quotes; a NUL byte among the first ones means 2- or 4-byte characters.
  const head = bytes.subarray(0, 64);
  if (head.includes(0)) {
    const zeros = head.filter((byte) => byte === 0).length;
    return zeros * 4 >= head.length * 3 - 4
      ? "UTF-32 text (without a byte-order mark)"
      : "UTF-16 text (without a byte-order mark)";
  }
  return undefined;
}

const SAVE_AS_UTF8 =
  'config files are UTF-8: save it as UTF-8 (e.g. in VS Code "Save with Encoding" → UTF-8; in PowerShell Get-Content old.json | Set-Content -Encoding utf8 new.json)';

/**
 * The config file's text: UTF-8, a leading byte-order mark removed (editors on
 * Windows may write one; it is not part of the JSON). UTF-16/UTF-32 and bytes
 * that are not UTF-8 are named as such, with the fix.
 */
export function decodeConfigText(bytes: Buffer, file: string): string {
  const wide = wideEncoding(bytes);
  if (wide !== undefined) throw fileProblem(file, `is ${wide}; ${SAVE_AS_UTF8}`);
  try {
    // ignoreBOM: false is the decoder's default and removes a leading byte-order mark.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const { line, column } = byteLineAndColumn(bytes, offset);
    const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, "0");
    throw fileProblem(
      file,
      `is not UTF-8 text (byte 0x${byte} at line ${line}, column ${column}; Latin-1 or Windows-1252?); ${SAVE_AS_UTF8}`,
    );
  }
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence (`bytes` is known to hold one). */
function firstInvalidUtf8(bytes: Buffer): number {
  // The lenient decoder puts U+FFFD where the bytes are invalid; the valid text before it re-encodes to its offset.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  let from = 0;
  for (;;) {
    const index = text.indexOf("\uFFFD", from);
    if (index === -1) return 0;
    const offset = Buffer.byteLength(text.slice(0, index), "utf8");
    // A U+FFFD written in the file itself is valid UTF-8 (EF BF BD); look further.
    if (bytes[offset] !== 0xef || bytes[offset + 1] !== 0xbf || bytes[offset + 2] !== 0xbd) return offset;
    from = index + 1;
  }
}
