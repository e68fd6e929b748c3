/** A file sent as a download: its type, and a file name safe in any browser's save dialog. */
import type { Response } from 'express';

export function sendDownload(res: Response, filename: string, type: string, body: string): void {
  res.status(200)
    .type(type)
    .set('Content-Disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
    .send(body);
}
