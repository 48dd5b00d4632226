import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** A member's stored client credential, as `fmp login` saves it. */
export interface StoredLogin {
  clientId: string;
  clientSecret: string;
  webId: string;
  pod: string;
}

type LoginFile = Record<string, Record<string, StoredLogin>>;

/** The user's fmp config folder: `$FMP_CONFIG_DIR`, else `$XDG_CONFIG_HOME/fmp`, else `~/.config/fmp`. */
export function getConfigFolder(env: NodeJS.ProcessEnv = process.env): string {
  return env.FMP_CONFIG_DIR ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'fmp');
}

/** Client credentials saved per server and member in `logins.json` (mode 0600). */
export class StoredLogins {
  private readonly path: string;

  public constructor(folder: string = getConfigFolder()) {
    this.path = join(folder, 'logins.json');
  }

  /** The stored login of `name` on `server`, if any. */
  public async get(server: string, name: string): Promise<StoredLogin | undefined> {
    return (await this.read())[server]?.[name];
  }

  /** Stores (or replaces) the login of `name` on `server`. */
  public async set(server: string, name: string, login: StoredLogin): Promise<void> {
    const logins = await this.read();
    logins[server] = { ...logins[server], [name]: login };
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await writeFile(this.path, `${JSON.stringify(logins, null, 2)}\n`, { mode: 0o600 });
    // writeFile keeps the mode of an existing file: make sure it is private.
    await chmod(this.path, 0o600);
  }

  /** Where the logins are kept. */
  public get file(): string {
    return this.path;
  }

  private async read(): Promise<LoginFile> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as LoginFile;
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return {};
      }
      throw error;
    }
  }
}
