/**
 * Sharing a loan tape or a policy analysis with a workspace, as a saved scenario is: private to
 * its author unless shared with a workspace the author belongs to. Only the author (or an
 * administrator) chooses; the pages show a "Share with" select and the API takes
 * `{ "workspace": id | null }`. Both check the choice here.
 */
import type { FieldIssue } from '../../core/schema.ts';
import { msg, type Translate } from '../../i18n/translate.ts';
import { ID_PATTERN, type Sharing, type User } from '../../storage/index.ts';
import type { Context } from '../context.ts';
import { HttpError } from '../http/errors.ts';

/** The same refusal for every kind of item, page or API: the sharing is not the viewer's to change. */
export const NOT_OWNER = msg('Only its owner or an administrator can change whom this is shared with.');
const PERMISSION: FieldIssue = { path: '(permission)', message: msg('you are not its owner') };

/** Whether the user may change whom the item is shared with (no user: the local administrator). */
export const mayShare = (user: User | null, item: Sharing): boolean => !user || user.role === 'administrator' || item.ownerId === null || item.ownerId === user.id;

/** The JSON of an item's sharing: its owner's name and the workspace (or null: private). */
export const sharingJson = (item: Sharing) => ({
  owner: item.ownerName,
  workspace: item.workspaceId ? { id: item.workspaceId, name: item.workspaceName } : null,
});

/** The lists' two columns: whose it is and with which workspace it is shared. */
export const sharingColumns = (item: Sharing, t: Translate) => ({
  ownerText: item.ownerName ?? '—',
  sharedText: item.workspaceName ?? t('only its owner'),
});

/** The "Share with" form of a page: the owner's workspaces, or only them; null for who may not change it. */
export function shareForm(ctx: Context, user: User | null, item: Sharing, action: string, t: Translate) {
  const own = mayShare(user, item);
  const author = item.ownerId ?? (user && user.role !== 'administrator' ? user.id : null);
  const choices = ctx.storage.workspaces.of(author);
  return {
    action,
    canShare: own,
    ownerText: item.ownerName ?? '—',
    sharedText: item.workspaceName ?? t('only its owner'),
    options: [
      { value: '', label: user && item.ownerId === user.id ? t('Only me') : t('Only its owner'), selected: item.workspaceId === null },
      ...choices.map((w) => ({ value: w.id, label: w.name, selected: w.id === item.workspaceId })),
    ],
  };
}

/**
 * The workspace a share request names ('' or null: private again), checked: it exists and the
 * item's author (and the user, unless an administrator) belongs to it. Refusals are HttpErrors
 * with a field issue, for the pages and the API alike.
 */
export function shareTarget(ctx: Context, user: User | null, item: Sharing, raw: unknown): string | null {
  if (!mayShare(user, item)) throw new HttpError(403, NOT_OWNER, [PERMISSION]);
  if (raw === null || raw === '') return null;
  const { workspaces } = ctx.storage;
  const ws = typeof raw === 'string' && ID_PATTERN.test(raw) ? workspaces.get(raw) : null;
  if (!ws) throw new HttpError(422, msg('There is no such workspace.'), [{ path: 'workspace', message: msg('must be the id of one of your workspaces, or null to make it private') }]);
  const member = (id: string) => workspaces.isMember(ws.id, id);
  if ((user && user.role !== 'administrator' && !member(user.id)) || (item.ownerId !== null && !member(item.ownerId))) {
    throw new HttpError(403, msg('You can share only with a workspace you belong to.'), [{ path: 'workspace', message: msg('is not one of your workspaces') }]);
  }
  return ws.id;
}

/** The flash of a page after its sharing changed. */
export const sharedFlash = (item: Sharing, t: Translate): string =>
  item.workspaceName ? t('Now shared with “{name}”: its members can open it.', { name: item.workspaceName }) : t('Now private: only its owner and administrators can open it.');
