import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ExportSummary, ImportSummary } from '../../client/PortabilityApi';
import { PortabilityApi } from '../../client/PortabilityApi';
import { actAsMember } from '../MemberLogin';
import { addMemberAuthOptions, getMemberAuthOptions } from '../options';
import { megabytes, printResult, transferProgressLine } from '../output';
import { StoredLogins } from '../StoredLogins';

/** `fmp export <member> -o <file>` and `fmp import <member> <file>`. */
export function addPortabilityCommands(program: Command): void {
  addMemberAuthOptions(program.command('export <member>')
    .description('save the member\'s whole pod (data, ACLs, metadata, grants) as one archive; see the README for the format'))
    .requiredOption('-o, --output <file>', 'where to write the archive (.tar)')
    .action(async(member: string, options: { output: string }, command: Command): Promise<void> => {
      const auth = getMemberAuthOptions(command);
      const file = resolve(options.output);
      const summary = await actAsMember(member, auth, new StoredLogins(), async(context): Promise<ExportSummary> =>
        new PortabilityApi(auth.server, member, context.session.fetch).exportTo(file, transferProgressLine('exporting')));
      printResult(summary, auth.json, (s): string =>
        `Exported ${s.pod} to ${s.file}: ${s.resources} resources, ${s.entries} entries, ${megabytes(s.bytes)}.`);
    });

  addMemberAuthOptions(program.command('import <member> <file>')
    .description('restore an archive from fmp export into the member\'s pod, which must be empty (as sign-up left it)'))
    .action(async(member: string, file: string, _options: unknown, command: Command): Promise<void> => {
      const auth = getMemberAuthOptions(command);
      const summary = await actAsMember(member, auth, new StoredLogins(), async(context): Promise<ImportSummary> =>
        new PortabilityApi(auth.server, member, context.session.fetch).importFrom(resolve(file), transferProgressLine('uploading')));
      printResult(summary, auth.json, (s): string =>
        `Imported ${s.from} into ${s.pod}: ${s.resources} resources, ${s.entries} entries, ${megabytes(s.bytes)} in ${s.seconds} s.`);
    });
}
