/**
 * Progress of a queued job (a Monte Carlo run, a policy analysis) as server-sent events: the
 * current state at once, a `progress` event as it moves, an `end` event when it is over (at
 * once for a job already over), and a comment heartbeat so proxies keep the stream open.
 */
import type { Request, Response } from 'express';
import type { JobEvent, JobStatus } from '../runs/job-queue.ts';

const HEARTBEAT_MS = 15_000;

export interface ProgressSource {
  liveState(id: string): { status: JobStatus; progress: number; queuePosition: number | null } | null;
  subscribe(id: string, listener: (e: JobEvent) => void): (() => void) | null;
  /** The job's stored outcome, read when it is (or has just become) over. */
  stored(id: string): { status: JobStatus; error: string | null };
}

export function streamProgress(req: Request, res: Response, id: string, page: string, source: ProgressSource): void {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const end = (status: JobStatus, error: string | null | undefined) => {
    send('end', { status, error: error ?? null, progress: status === 'done' ? 1 : null, page });
    res.end();
  };
  const endFromStore = () => {
    const current = source.stored(id);
    end(current.status, current.error);
  };
  res.write('retry: 2000\n\n');
  const live = source.liveState(id);
  if (!live) return endFromStore();
  send('progress', { status: live.status, progress: live.progress, queuePosition: live.queuePosition });
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  let unsubscribe: (() => void) | null = null;
  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe?.();
    unsubscribe = null;
  };
  unsubscribe = source.subscribe(id, (e) => {
    if (e.type === 'end') {
      stop();
      end(e.status, e.error);
    } else {
      send('progress', { status: e.status, progress: e.progress, queuePosition: source.liveState(id)?.queuePosition ?? null });
    }
  });
  if (!unsubscribe) {
    // It ended between the two looks.
    stop();
    return endFromStore();
  }
  req.on('close', stop);
}
