// The text of an uploaded file, whatever encoding a Chinese office program saved it in.
// Chinese Excel and WPS save CSV in GB18030 (their "ANSI" code page 936) unless told otherwise;
// everything else here writes UTF-8, with or without a byte-order mark.

export type TextEncodingName = 'UTF-8' | 'UTF-8 (BOM)' | 'UTF-16' | 'GB18030';

export interface DecodedText {
  text: string;
  /** Which encoding was used, to be shown in import reports ("read as GB18030"). */
  encoding: TextEncodingName;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const GB18030 = new TextDecoder('gb18030');

/** Decodes bytes as UTF-8 when they are valid UTF-8 (a BOM is dropped), as UTF-16 when a UTF-16
 *  byte-order mark says so, and otherwise as GB18030 (a superset of GBK and GB2312), which
 *  accepts any byte sequence. Valid UTF-8 is preferred: Chinese text in GB18030 is almost never
 *  valid UTF-8 (its lead bytes 0x81–0xFE are rarely followed by the 10xxxxxx pattern UTF-8 needs). */
export function decodeText(buf: Uint8Array): DecodedText {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(buf.subarray(3)), encoding: 'UTF-8 (BOM)' };
  }
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const le = buf[0] === 0xff;
    return { text: new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(buf.subarray(2)), encoding: 'UTF-16' };
  }
  try {
    return { text: UTF8.decode(buf), encoding: 'UTF-8' };
  } catch {
    return { text: GB18030.decode(buf), encoding: 'GB18030' };
  }
}
