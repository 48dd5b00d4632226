import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FmpClientError } from '../../client/FmpClientError';
import type { RestoreResult, SnapshotJson, SnapshotList } from '../../client/SnapshotApi';
import { SnapshotApi } from '../../client/SnapshotApi';
import type { MemberContext } from '../MemberLogin';
import { actAsMember } from '../MemberLogin';
import { addMemberAuthOptions, getMemberAuthOptions } from '../options';
import { formatTable, megabytes, printProgress, printResult } from '../output';
import { StoredLogins } from '../StoredLogins';

/** `fmp snapshot [take] <member>`, `fmp snapshot list|delete` and `fmp restore <member> [<snapshot id>|<file>]`. */
export function addSnapshotCommands(program: Command): void {
  const snapshot = program.command('snapshot')
    .description('keep copies of a pod on the FMP (outside the pod, owner only) to restore with fmp restore');

  addMemberAuthOptions(snapshot.command('take <member>', { isDefault: true })
    .description('take a snapshot of the member\'s pod now (the default: fmp snapshot <member>)'))
    .action(async(member: string, _options: unknown, command: Command): Promise<void> => {
      const auth = getMemberAuthOptions(command);
      const taken = await withSnapshots(member, command, async(api): Promise<SnapshotJson & { pod: string }> => {
        printProgress(`taking a snapshot of ${member}…`);
        return api.take();
      });
      printResult(taken, auth.json, (s): string =>
        `Took snapshot ${s.id} of ${s.pod}: ${s.resources} resources, ${megabytes(s.bytes)}.`);
    });

  addMemberAuthOptions(snapshot.command('list <member>')
    .description('list the member\'s snapshots, oldest first, and how much of the quota they use'))
    .action(async(member: string, _options: unknown, command: Command): Promise<void> => {
      const auth = getMemberAuthOptions(command);
      const list = await withSnapshots(member, command, async(api): Promise<SnapshotList> => api.list());
      printResult(list, auth.json, describeList);
    });

  addMemberAuthOptions(snapshot.command('delete <member> <id>')
    .description('delete one of the member\'s snapshots'))
    .action(async(member: string, id: string, _options: unknown, command: Command): Promise<void> => {
      const auth = getMemberAuthOptions(command);
      const deleted = await withSnapshots(member, command, async(api): Promise<{ deleted: string; usedBytes: number }> =>
        api.delete(id));
      printResult(deleted, auth.json, (d): string => `Deleted snapshot ${d.deleted}; snapshots now use ${megabytes(d.usedBytes)}.`);
    });

  addMemberAuthOptions(program.command('restore <member> [snapshot]')
    .description('put the pod back exactly as a snapshot (an id; the newest if none is named) or an archive file from ' +
      'fmp export holds it: what was added since is removed, what changed is written back, grants as they were then'))
    .action(async(member: string, target: string | undefined, _options: unknown, command: Command): Promise<void> => {
      const auth = getMemberAuthOptions(command);
      const result = await withSnapshots(member, command, async(api): Promise<RestoreResult> => restore(api, member, target));
      printResult(result, auth.json, (r): string => `Restored ${r.pod} as of ${r.takenAt}` +
        `${r.snapshot ? ` (snapshot ${r.snapshot})` : ` (from ${r.from})`}: ${r.removed} removed, ${r.restored} restored, ` +
        `${r.unchanged} unchanged, in ${r.seconds} s.`);
    });
}

/** Restores from the file `target` names if there is one, else from the snapshot it names, else from the newest. */
async function restore(api: SnapshotApi, member: string, target: string | undefined): Promise<RestoreResult> {
  if (target !== undefined && await isFile(target)) {
    printProgress(`uploading ${target} and restoring ${member}…`);
    return api.restoreFile(resolve(target));
  }
  let id = target;
  if (id === undefined) {
    id = (await api.list()).snapshots.at(-1)?.id;
    if (!id) {
      throw new FmpClientError(`${member} has no snapshots to restore (take one with fmp snapshot ${member})`);
    }
  }
  printProgress(`restoring ${member} from snapshot ${id}…`);
  return api.restoreSnapshot(id);
}

/** Logs in as the member and runs `work` with their snapshot API. */
async function withSnapshots<T>(member: string, command: Command, work: (api: SnapshotApi) => Promise<T>): Promise<T> {
  const auth = getMemberAuthOptions(command);
  return actAsMember(member, auth, new StoredLogins(), async(context: MemberContext): Promise<T> =>
    work(new SnapshotApi(auth.server, member, context.session.fetch)));
}

function describeList(list: SnapshotList): string {
  const usage = `Snapshots of ${list.pod} use ${megabytes(list.usedBytes)} of ${megabytes(list.quotaBytes)}.`;
  if (list.snapshots.length === 0) {
    return `No snapshots of ${list.pod} yet (take one with fmp snapshot <member>).`;
  }
  return `${formatTable([ 'id', 'taken', 'kind', 'size', 'resources' ], list.snapshots.map((s): string[] =>
    [ s.id, s.takenAt, s.kind, megabytes(s.bytes), String(s.resources) ]))}\n${usage}`;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
