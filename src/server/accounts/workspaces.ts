/**
 * Workspace pages (the API has the same): make a team or a class, add and remove members,
 * share a scenario with a workspace and make it private again, invite someone by a one-time
 * link that makes their account with a role; and the administrator's page of users: reset a
 * password, change a role, disable or enable an account, invite, and read the audit log.
 * The same rules as the API: a workspace's creator or an administrator manages its members;
 * only who may change a scenario shares it.
 */
import express, { type Request, type Response, type Router } from 'express';
import { ID_PATTERN, passwordProblem, ROLES, type Role, type User, type Workspace } from '../../storage/index.ts';
import { SESSION_COOKIE, whoOf } from './auth.ts';
import type { Context } from '../context.ts';
import { msg, type Translate } from '../../i18n/translate.ts';
import { localizerOf } from '../http/language.ts';
import { formatter } from '../../i18n/format.ts';
import { HttpError } from '../http/errors.ts';
import { param, route } from '../http/route.ts';
import { nameProblemOfUser } from '../../storage/users.ts';
import { sendPage } from '../http/view.ts';

const field = (req: Request, name: string): string => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

/** The roles a user may give by invitation. */
export const invitableRoles = (u: User): Role[] =>
  u.role === 'administrator' ? [...ROLES] : u.role === 'analyst' ? ['analyst', 'trainee'] : u.role === 'trainer' ? ['trainee'] : [];

/** Who may make a class (a workspace of kind 'class' with a join code): the one rule of the pages and the API. */
export const mayCreateClass = (u: Pick<User, 'role'>): boolean => u.role === 'trainer' || u.role === 'administrator';

/** The roles as people read them. */
const ROLE_LABELS: Record<Role, string> = { administrator: msg('administrator'), analyst: msg('analyst'), trainer: msg('trainer'), trainee: msg('trainee') };
export const roleLabel = (t: Translate, role: string): string => (role in ROLE_LABELS ? t(ROLE_LABELS[role as Role]) : role);
const roleOptions = (t: Translate, roles: readonly Role[]) => roles.map((r) => ({ value: r, label: roleLabel(t, r) }));

/** What is wrong with a password, as a sentence: 'new' for a password changed on the account page. */
export function passwordError(t: Translate, password: string, which: 'new' | 'plain' = 'plain'): string | null {
  if (password.length < 10) return which === 'new' ? t('The new password must be at least 10 characters long.') : t('The password must be at least 10 characters long.');
  if (password.length > 200) return which === 'new' ? t('The new password must be at most 200 characters long.') : t('The password must be at most 200 characters long.');
  return passwordProblem(password) === null ? null : t('The password is not accepted.');
}

/** Why an account could not be made, as a sentence: the name's problem, a name taken, else the store's own words. */
export function accountError(t: Translate, e: unknown, name: string): string {
  if (nameProblemOfUser(name)) return t('The name must be 1 to 64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit.');
  const message = e instanceof Error ? e.message : String(e);
  if (message.startsWith('There is already a user named')) return t('There is already a user named “{name}”.', { name });
  return t(message);
}

/** The signed-in user of a page request; 401 when nobody is signed in. */
export function signedInUser(res: Response): User {
  const who = whoOf(res);
  if (!who) throw new HttpError(401, localizerOf(res).t('Sign in first.'));
  return who.user;
}

/** Who manages a workspace or class: its creator and any administrator. */
export const managesWorkspace = (u: User, ws: Workspace): boolean => u.role === 'administrator' || ws.createdBy === u.id;

export function workspacesRouter(ctx: Context): Router {
  const r = express.Router();
  const { workspaces, users, scenarios } = ctx.storage;
  const page = (res: Response, name: string, data: Record<string, unknown>, status = 200) => sendPage(res, ctx.views, name, { nav: 'workspaces', ...data }, status);
  const me = signedInUser;
  const manages = managesWorkspace;
  const load = (req: Request, res: Response): { ws: Workspace; user: User; manager: boolean } => {
    const user = me(res);
    const id = param(req, 'id');
    const ws = ID_PATTERN.test(id) ? workspaces.get(id) : null;
    const { t } = localizerOf(res);
    if (!ws || (user.role !== 'administrator' && !workspaces.isMember(ws.id, user.id))) throw new HttpError(404, t('There is no workspace of yours with that id.'));
    return { ws, user, manager: manages(user, ws) };
  };
  const manage = (res: Response, user: User, ws: Workspace) => {
    const { t } = localizerOf(res);
    if (!manages(user, ws)) throw new HttpError(403, t('Only the workspace’s creator or an administrator manages its members.'));
  };

  // ----- The list and making one -----------------------------------------------------------
  const listPage = (res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const user = me(res);
    const { t, locale } = localizerOf(res);
    const n = formatter('', locale);
    page(res, 'accounts/workspaces', {
      title: t('Workspaces'), canCreate: user.role !== 'trainee', canCreateClass: mayCreateClass(user), name: '', error: null,
      workspaces: workspaces.of(user.role === 'administrator' ? null : user.id).map((w) => ({ ...w, kindLabel: w.kind === 'class' ? t('class') : t('team'), url: `/workspaces/${w.id}`, members: n.count(workspaces.members(w.id).length), mine: manages(user, w) })),
      ...extra,
    }, status);
  };
  function listWorkspaces(_req: Request, res: Response) {
    return listPage(res);
  }
  r.get('/workspaces', route(listWorkspaces));

  function makeWorkspace(req: Request, res: Response) {
    const user = me(res);
    const { t } = localizerOf(res);
    if (user.role === 'trainee') throw new HttpError(403, t('Trainees join workspaces; they do not create them.'));
    const name = field(req, 'name').trim();
    const kind = field(req, 'kind') === 'class' ? 'class' : 'team';
    if (!name || name.length > 120 || /^[\p{C}\s]*$/u.test(name)) {
      const { t } = localizerOf(res);
      listPage(res, { name: name.slice(0, 120), error: t('The workspace needs a name of 1 to 120 characters.') }, 422);
      return;
    }
    if (kind === 'class' && !mayCreateClass(user)) throw new HttpError(403, t('Only trainers and administrators create classes.'));
    const ws = workspaces.create(name, kind, user.id);
    if (kind === 'class') ctx.storage.classes.newJoinCode(ws.id);
    res.redirect(303, `/workspaces/${ws.id}`);
  }
  r.post('/workspaces', route(makeWorkspace));

  // ----- One workspace -----------------------------------------------------------------------
  const workspacePage = (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const { ws, user, manager } = load(req, res);
    const shared = scenarios.sharedWith(ws.id);
    const sharedIds = new Set(shared.map((s) => s.id));
    const { t } = localizerOf(res);
    page(res, 'accounts/workspace', {
      title: ws.name, ws, manager, isClass: ws.kind === 'class',
      members: workspaces.members(ws.id).map((m) => ({ ...m, roleLabel: roleLabel(t, m.role), self: m.id === user.id, removable: manager && m.id !== ws.createdBy })),
      shared: shared.map((s) => ({ ...s, url: `/scenarios/${s.id}` })),
      mine: scenarios.choices().filter((c) => !sharedIds.has(c.id) && scenarios.canChange(c.id)),
      canShare: user.role === 'administrator' || workspaces.isMember(ws.id, user.id),
      roles: manager ? roleOptions(t, invitableRoles(user)) : [], memberName: '', error: null, invitation: null,
      flash: ({ added: t('Member added.'), removed: t('Member removed.'), shared: t('The scenario is shared with the workspace.'), unshared: t('The scenario is private again.') } as Record<string, string>)[String(req.query.flash ?? '')] ?? null,
      ...extra,
    }, status);
  };
  function showWorkspace(req: Request, res: Response) {
    return workspacePage(req, res);
  }
  r.get('/workspaces/:id', route(showWorkspace));

  function addWorkspaceMember(req: Request, res: Response) {
    const { ws, user } = load(req, res);
    manage(res, user, ws);
    const name = field(req, 'name').trim().slice(0, 64);
    const member = name ? users.byName(name) : null;
    if (!member || member.disabled) {
      const { t } = localizerOf(res);
      workspacePage(req, res, { memberName: name, error: t('There is no account named “{name}”. Invite them with a link instead.', { name }) }, 422);
      return;
    }
    workspaces.addMember(ws.id, member.id, user.id);
    res.redirect(303, `/workspaces/${ws.id}?flash=added`);
  }
  r.post('/workspaces/:id/members', route(addWorkspaceMember));

  function removeWorkspaceMember(req: Request, res: Response) {
    const { ws, user } = load(req, res);
    manage(res, user, ws);
    const id = param(req, 'user');
    const { t } = localizerOf(res);
    if (id === ws.createdBy) throw new HttpError(422, t('The workspace’s creator stays a member.'));
    if (!workspaces.removeMember(ws.id, id, user.id)) throw new HttpError(404, t('That user is not a member of this workspace.'));
    res.redirect(303, `/workspaces/${ws.id}?flash=removed`);
  }
  r.post('/workspaces/:id/members/:user/remove', route(removeWorkspaceMember));

  function shareScenario(req: Request, res: Response) {
    const { ws, user } = load(req, res);
    const { t } = localizerOf(res);
    if (user.role !== 'administrator' && !workspaces.isMember(ws.id, user.id)) throw new HttpError(403, t('You can share only with a workspace you belong to.'));
    const id = field(req, 'scenario');
    if (!ID_PATTERN.test(id) || !scenarios.canChange(id)) throw new HttpError(404, t('There is no scenario of yours with that id to share.'));
    scenarios.share(id, ws.id);
    users.audit(user.id, 'scenario shared', `${id} with ${ws.id}`);
    res.redirect(303, `/workspaces/${ws.id}?flash=shared`);
  }
  r.post('/workspaces/:id/share', route(shareScenario));

  function unshareScenario(req: Request, res: Response) {
    const { ws, user } = load(req, res);
    const id = field(req, 'scenario');
    const { t } = localizerOf(res);
    if (!ID_PATTERN.test(id) || !scenarios.sharedWith(ws.id).some((s) => s.id === id)) throw new HttpError(404, t('No scenario with that id is shared with this workspace.'));
    // Only who may change it (its author, a non-trainee member, an administrator) makes it private.
    scenarios.share(id, null);
    users.audit(user.id, 'scenario unshared', `${id} from ${ws.id}`);
    res.redirect(303, `/workspaces/${ws.id}?flash=unshared`);
  }
  r.post('/workspaces/:id/unshare', route(unshareScenario));

  function inviteToWorkspace(req: Request, res: Response) {
    const { ws, user } = load(req, res);
    manage(res, user, ws);
    const role = field(req, 'role') as Role;
    const { t } = localizerOf(res);
    if (!invitableRoles(user).includes(role)) throw new HttpError(403, ROLES.includes(role) ? t('You cannot invite someone as {role}.', { role: roleLabel(t, role) }) : t('You cannot invite someone as that role.'));
    const token = users.createInvitation(role, ws.id, user.id);
    workspacePage(req, res, { invitation: { path: `/invite/${token}`, role, roleLabel: roleLabel(t, role) } }, 201);
  }
  r.post('/workspaces/:id/invite', route(inviteToWorkspace));

  // ----- Sign-up by invitation (open without signing in) --------------------------------------
  const invitePage = (req: Request, res: Response, data: Record<string, unknown> = {}, status = 200) => {
    const token = param(req, 'token');
    const inv = users.invitation(token);
    const { t } = localizerOf(res);
    if (!inv) throw new HttpError(404, t('This invitation is not valid: it was used already, it has expired, or the link is incomplete. Ask for a new one.'));
    const ws = inv.workspaceId ? workspaces.get(inv.workspaceId) : null;
    page(res, 'accounts/invite', { title: t('Make your account'), role: inv.role, roleLabel: roleLabel(t, inv.role), workspace: ws?.name ?? null, action: `/invite/${token}`, name: '', errors: [], ...data }, status);
    return inv;
  };
  function showInvitation(req: Request, res: Response) {
    invitePage(req, res);
  }
  r.get('/invite/:token', route(showInvitation));

  async function acceptInvitation(req: Request, res: Response) {
    const token = param(req, 'token');
    const inv = users.invitation(token);
    const { t } = localizerOf(res);
    if (!inv) throw new HttpError(404, t('This invitation is not valid: it was used already, it has expired, or the link is incomplete. Ask for a new one.'));
    const name = field(req, 'name').trim().slice(0, 64);
    const password = field(req, 'password').slice(0, 200);
    const errors: string[] = [];
    const weak = passwordError(t, password);
    if (weak) errors.push(weak);
    else if (password !== field(req, 'confirm')) errors.push(t('The two passwords differ.'));
    let user: User | null = null;
    if (!errors.length) {
      try {
        user = await users.add(name, inv.role, password, null);
      } catch (e) {
        errors.push(accountError(t, e, name));
      }
    }
    if (!user) {
      invitePage(req, res, { name, errors }, 422);
      return;
    }
    users.useInvitation(token, user.id);
    users.audit(user.id, 'signed up by invitation', `${name} as ${inv.role}`);
    if (inv.workspaceId && workspaces.get(inv.workspaceId)) workspaces.addMember(inv.workspaceId, user.id, user.id);
    const session = users.createSession(user.id);
    res.cookie(SESSION_COOKIE, session, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: 14 * 86_400_000 });
    res.redirect(303, inv.workspaceId ? `/workspaces/${inv.workspaceId}` : '/');
  }
  r.post('/invite/:token', route(acceptInvitation));

  // ----- The administrator's page of users ----------------------------------------------------
  const admin = (res: Response): User => {
    const user = me(res);
    const { t } = localizerOf(res);
    if (user.role !== 'administrator') throw new HttpError(403, t('Only administrators manage users.'));
    return user;
  };
  const usersPage = (res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    admin(res);
    const { t } = localizerOf(res);
    page(res, 'accounts/users', {
      title: t('Users'), nav: 'users', roles: ROLES, roleOptions: roleOptions(t, ROLES),
      users: users.list().filter((u) => u.name !== 'local').map((u) => ({ ...u, roles: ROLES.map((r) => ({ r, label: roleLabel(t, r), selected: r === u.role })) })),
      audit: users.auditLog(50).map((a) => ({ ...a, at: a.at.replace('T', ' ').slice(0, 19) })),
      errors: [], invitation: null, flash: null, ...extra,
    }, status);
  };
  function listUsers(req: Request, res: Response) {
    const { t } = localizerOf(res);
    usersPage(res, {
      flash: ({ password: t('The password was reset; the account’s sessions ended.'), role: t('The role was changed.'), disabled: t('The account was disabled; its sessions ended.'), enabled: t('The account was enabled.') } as Record<string, string>)[String(req.query.flash ?? '')] ?? null,
    });
  }
  r.get('/admin/users', route(listUsers));

  const target = (req: Request, res: Response): User => {
    const id = param(req, 'user');
    const u = ID_PATTERN.test(id) ? users.byId(id) : null;
    const { t } = localizerOf(res);
    if (!u) throw new HttpError(404, t('There is no such user.'));
    return u;
  };

  async function setUserPassword(req: Request, res: Response) {
    const me_ = admin(res);
    const u = target(req, res);
    const password = field(req, 'password').slice(0, 200);
    const { t } = localizerOf(res);
    const weak = passwordError(t, password, 'new');
    if (weak) {
      const error = password.length < 10 ? t('{name}: the new password must be at least 10 characters long.', { name: u.name }) : t('{name}: the new password must be at most 200 characters long.', { name: u.name });
      usersPage(res, { errors: [error] }, 422);
      return;
    }
    await users.setPassword(u.name, password, me_.id);
    res.redirect(303, '/admin/users?flash=password');
  }
  r.post('/admin/users/:user/password', route(setUserPassword));

  function setUserRole(req: Request, res: Response) {
    const me_ = admin(res);
    const u = target(req, res);
    const role = field(req, 'role') as Role;
    const { t } = localizerOf(res);
    if (!ROLES.includes(role)) throw new HttpError(422, t('The role must be administrator, analyst, trainer or trainee.'));
    if (u.id === me_.id && role !== 'administrator') throw new HttpError(422, t('You cannot take away your own administrator role: ask another administrator.'));
    users.setRole(u.name, role, me_.id);
    res.redirect(303, '/admin/users?flash=role');
  }
  r.post('/admin/users/:user/role', route(setUserRole));

  function toggleUserDisabled(req: Request, res: Response) {
    const me_ = admin(res);
    const u = target(req, res);
    const { t } = localizerOf(res);
    if (u.id === me_.id) throw new HttpError(422, t('You cannot disable your own account.'));
    users.setDisabled(u.name, !u.disabled, me_.id);
    res.redirect(303, `/admin/users?flash=${u.disabled ? 'enabled' : 'disabled'}`);
  }
  r.post('/admin/users/:user/disable', route(toggleUserDisabled));

  function inviteUser(req: Request, res: Response) {
    const me_ = admin(res);
    const role = field(req, 'role') as Role;
    const { t } = localizerOf(res);
    if (!ROLES.includes(role)) throw new HttpError(422, t('The role must be administrator, analyst, trainer or trainee.'));
    const token = users.createInvitation(role, null, me_.id);
    usersPage(res, { invitation: { path: `/invite/${token}`, role, roleLabel: roleLabel(t, role) } }, 201);
  }
  r.post('/admin/invitations', route(inviteUser));

  return r;
}
