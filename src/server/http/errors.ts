/**
 * The one refusal a handler throws, for the JSON API and the pages alike: its status, its
 * message, and notes — field issues (`{ path, message }`) and lines of detail (strings), in one
 * list. The API answers the issues, a page shows the detail; each is derived from the other when
 * only one kind was given.
 */
import type { FieldIssue } from '../../core/schema.ts';
import { defaultIssue } from '../scenarios/consistency.ts';

export type ErrorNote = FieldIssue | string;

export class HttpError extends Error {
  readonly notes: readonly ErrorNote[];

  constructor(readonly status: number, message: string, notes: readonly ErrorNote[] = []) {
    super(message);
    this.name = 'HttpError';
    this.notes = notes;
  }

  /** The fields to fix, as the API answers them: the given issues, else one per detail line. */
  get issues(): FieldIssue[] {
    const issues = this.notes.filter((n): n is FieldIssue => typeof n !== 'string');
    if (issues.length) return issues;
    const path = defaultIssue(this.status, this.message).path;
    return this.notes.filter((n): n is string => typeof n === 'string').map((message) => ({ path, message }));
  }

  /** The lines a page shows under the message: the given detail, else one per field issue. */
  get detail(): string[] {
    const detail = this.notes.filter((n): n is string => typeof n === 'string');
    if (detail.length) return detail;
    return this.notes.filter((n): n is FieldIssue => typeof n !== 'string').map((i) => `${i.path}: ${i.message}`);
  }
}
