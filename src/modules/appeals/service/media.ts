// Photos stored before uploads were cleaned (platform/files/image.ts) still carry what the phone
// wrote — EXIF GPS, serial number, time. `gongkai appeals clean-photos` re-stores each such photo
// of every appeal without its metadata and points the appeal at the clean copy; the public URL of
// the old copy then answers 404 (it is no longer a published appeal's photo). Photos already clean
// are left as they are, so the command can be run again. The old files stay in DATA_DIR/files
// (other records may share a content-addressed file); they are never served again for the appeal.
import type { Platform } from '../../../platform/platform.js';
import { cleanImage, fileInfo, imageMetadata, readStored, storeFile, type ImageExt } from '../../../platform/files/index.js';
import { t as translate } from '../../../platform/i18n/index.js';
import { HttpError } from '../../../platform/errors.js';

const IMAGE_EXTS: readonly string[] = ['jpg', 'png', 'gif', 'webp'];

export interface CleanReport {
  /** Appeals whose photo list changed. */
  appeals: number;
  /** Photos replaced by a clean copy. */
  photos: number;
  /** Photos that were already clean. */
  clean: number;
  /** Photos that could not be cleaned (left as they are), as "tracking number: reason". */
  failed: string[];
}

/** `actor` names who ran it in the audit log (e.g. 'cli:root'). */
export async function cleanAppealPhotos(p: Platform, actor: string, batch = 200): Promise<CleanReport> {
  const report: CleanReport = { appeals: 0, photos: 0, clean: 0, failed: [] };
  let last = 0;
  for (;;) {
    const rows = await p.db.selectFrom('appeals').select(['id', 'tracking_no', 'media']).where('id', '>', last).where('media', '!=', '[]').orderBy('id').limit(batch).execute();
    if (rows.length === 0) return report;
    last = rows[rows.length - 1].id;
    for (const a of rows) {
      let media: unknown;
      try {
        media = JSON.parse(a.media);
      } catch {
        continue;
      }
      if (!Array.isArray(media)) continue;
      const next: string[] = [];
      const replaced: Record<string, string> = {};
      for (const h of media as string[]) {
        next.push(h);
        // Links given through Open311 (media_url) are not ours to clean.
        if (typeof h !== 'string' || !/^[0-9a-f]{64}$/.test(h)) continue;
        const info = await fileInfo(p.db, h);
        if (!info || !IMAGE_EXTS.includes(info.ext)) continue;
        try {
          const buf = readStored(p.config.dataDir, h);
          if (imageMetadata(buf, info.ext as ImageExt).length === 0) {
            report.clean++;
            continue;
          }
          const stored = await storeFile(p, await cleanImage(buf, info.ext as ImageExt, 'photos'), `photo.${info.ext}`, 'photos');
          next[next.length - 1] = stored.hash;
          replaced[h] = stored.hash;
        } catch (err) {
          const reason = err instanceof HttpError ? translate('en', err.message, err.params) : String((err as Error)?.message ?? err);
          report.failed.push(`${a.tracking_no}: ${h.slice(0, 12)}… ${reason}`);
        }
      }
      if (Object.keys(replaced).length === 0) continue;
      await p.tx(async (t) => {
        // Only if the list is still the one read (nothing else changed it meanwhile).
        const r = await t.updateTable('appeals').set({ media: JSON.stringify(next) }).where('id', '=', a.id).where('media', '=', a.media).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return;
        report.appeals++;
        report.photos += Object.keys(replaced).length;
        await p.audit(t, { actor, action: 'appeal.photos_cleaned', entity: 'appeal', entityId: a.id, details: { replaced } });
      });
    }
  }
}
