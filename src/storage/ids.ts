import { randomBytes } from 'node:crypto';

/** A random, URL-safe identifier (72 bits). */
export function newId(): string {
  return randomBytes(9).toString('base64url');
}

export const ID_PATTERN = /^[A-Za-z0-9_-]{6,32}$/;
